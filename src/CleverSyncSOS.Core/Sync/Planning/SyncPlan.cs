using CleverSyncSOS.Persistence.Session;

namespace CleverSyncSOS.Sync.Planning;

/// <summary>
/// What the next sync of a school must be, from its history: Full (first sync, flagged, or asked for),
/// Incremental (Clever's events since <see cref="EventCursor"/>), or
/// Reconciliation (a full read compared with the database: no events to use, or the last full read is old).
/// </summary>
public sealed record SyncPlan(SyncType SyncType, string? EventCursor, IReadOnlyDictionary<string, DateTime?> LastSyncTimestamps)
{
    public bool Full => SyncType == SyncType.Full;
}

/// <summary>What SyncHistory says about one entity of a school: its last completed run and its last full read.</summary>
public sealed record EntityHistory(string EntityType, DateTime? LastCompletedAt, string? LastEventId, DateTime? LastSyncTimestamp, DateTime? LastFullReadAt)
{
    public static EntityHistory Never(string entityType) => new(entityType, null, null, null, null);
}
