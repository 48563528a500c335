namespace CleverSyncSOS.Persistence.Schools;

/// <summary>
/// What one run did to one record, kept in the school's own database (the values are children's data and stay
/// with the school): Created (with its values), Deleted (with its last values) or Updated (the changed fields,
/// old and new); or, for a table that was empty when the run began, one Filled entry (CleverId "*", NewValues
/// {"Rows": n}) standing for every row the run left in it (read back by <c>Sync.Changes.FilledRecords</c>).
/// <see cref="SyncId"/> is the run's SyncHistory row for the entity in SessionDb.
/// </summary>
public class ChangeLogEntry
{
    public long ChangeId { get; set; }
    public int SyncId { get; set; }
    public required string EntityType { get; set; }
    public required string CleverId { get; set; }
    public required string Action { get; set; }

    /// <summary>JSON object of column → value before the change (changed columns only for an update); null for a creation.</summary>
    public string? OldValues { get; set; }

    /// <summary>JSON object of column → value after the change; null for a deletion.</summary>
    public string? NewValues { get; set; }

    public DateTime ChangedAt { get; set; }
}
