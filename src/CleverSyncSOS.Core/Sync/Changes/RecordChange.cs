namespace CleverSyncSOS.Sync.Changes;

/// <summary>What a change did to a record.</summary>
public static class ChangeAction
{
    public const string Created = "Created";
    public const string Updated = "Updated";
    public const string Deleted = "Deleted";
}

/// <summary>
/// One change to one record: its values before (changed fields only for an update; null for a creation) and after
/// (null for a deletion), by property name. Written to the change log, shown by a dry run, reversed by an undo.
/// </summary>
public sealed record RecordChange(string EntityType, string CleverId, string Action,
    IReadOnlyDictionary<string, object?>? Old, IReadOnlyDictionary<string, object?>? New);
