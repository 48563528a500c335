using CleverSyncSOS.Persistence.Session;

namespace CleverSyncSOS.Sync.Planning;

/// <summary>
/// The decision full / incremental / reconciliation, from a school's history alone (no I/O, so it is tested
/// on its own). Full when asked, flagged or never synced; a full comparison (Reconciliation) whenever events
/// cannot be trusted to hold every change; otherwise Clever's events from the oldest cursor of the entities.
/// </summary>
public static class SyncDecision
{
    public static SyncPlan Decide(IReadOnlyList<EntityHistory> entities, bool forceFull, bool requiresFullSync, SyncOptions options, DateTime now)
    {
        var full = forceFull || requiresFullSync;
        var reconcile = !options.UseEvents;
        string? cursor = null;
        foreach (var entity in entities)
        {
            full |= entity.LastCompletedAt is null;

            // No cursor, or an empty one (Clever had no event at all, which is also what a district with events
            // switched off looks like): only a full comparison is safe. Events are kept for a limited time, so
            // a cursor older than that may have lost some.
            reconcile |= string.IsNullOrEmpty(entity.LastEventId)
                         || entity.LastCompletedAt < now.AddDays(1 - options.EventRetentionDays)
                         || (options.ReconciliationIntervalHours > 0
                             && (entity.LastFullReadAt is null || entity.LastFullReadAt < now.AddHours(-options.ReconciliationIntervalHours)));
            if (entity.LastEventId is { Length: > 0 } id && (cursor is null || string.CompareOrdinal(id, cursor) < 0))
            {
                cursor = id;
            }
        }

        var type = full ? SyncType.Full : reconcile ? SyncType.Reconciliation : SyncType.Incremental;
        return new SyncPlan(type, type == SyncType.Incremental ? cursor : null,
            entities.ToDictionary(e => e.EntityType, e => e.LastSyncTimestamp, StringComparer.Ordinal));
    }
}
