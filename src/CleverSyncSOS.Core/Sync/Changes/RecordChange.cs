namespace CleverSyncSOS.Sync.Changes;

/// <summary>What a change did to a record.</summary>
public static class ChangeAction
{
    public const string Created = "Created";
    public const string Updated = "Updated";
    public const string Deleted = "Deleted";

    /// <summary>
    /// One entry for a whole table that was empty when the run began: every row the table held when the run ended
    /// was created by it, with the values it held then (see <see cref="FilledRecords"/>). Never shown as such:
    /// readers expand it into one creation per record.
    /// </summary>
    public const string Filled = "Filled";

    /// <summary>The CleverId of a <see cref="Filled"/> entry, which stands for many records.</summary>
    public const string AllRecords = "*";
}

/// <summary>
/// One change to one record: its values before (changed fields only for an update; null for a creation) and after
/// (null for a deletion), by property name. Written to the change log, shown by a dry run, reversed by an undo.
/// </summary>
public sealed record RecordChange(string EntityType, string CleverId, string Action,
    IReadOnlyDictionary<string, object?>? Old, IReadOnlyDictionary<string, object?>? New);
