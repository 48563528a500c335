using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Sync;

/// <summary>Writes SyncHistory: every run's row from InProgress to its end. What the next sync must be is <see cref="Planning.SyncPlanner"/>'s.</summary>
public sealed class SyncHistoryRecorder(SessionDatabase sessionDatabase, Runs.InstanceIdentity instance, TimeProvider time)
{
    public const string InterruptedMessage = "Interrupted: the process stopped before this sync finished.";

    /// <summary>Opens the run's rows InProgress, owned by this process (and its run), so only this process or one that finds it gone closes them.</summary>
    public async Task<IReadOnlyList<SyncHistory>> StartAsync(int schoolId, Guid? runId, IEnumerable<EntitySyncOutcome> outcomes, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = Now;
        var rows = outcomes.Select(o => new SyncHistory
        {
            SchoolId = schoolId,
            EntityType = o.EntityType,
            SyncType = o.SyncType,
            SyncStartTime = now,
            Status = SyncStatus.InProgress,
            RunId = runId,
            InstanceId = instance.Id,
        }).ToList();
        db.SyncHistory.AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        return rows;
    }

    /// <summary>Closes the run's rows. Called with CancellationToken.None on cancellation, so the record is never lost.</summary>
    public async Task CompleteAsync(IReadOnlyList<SyncHistory> rows, IReadOnlyList<EntitySyncOutcome> outcomes, string? eventCursor,
        IReadOnlyDictionary<string, DateTime?> previousTimestamps, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = Now;
        foreach (var (row, outcome) in rows.Zip(outcomes))
        {
            db.SyncHistory.Attach(row);
            row.SyncType = outcome.SyncType;
            row.SyncEndTime = now;
            row.Status = outcome.Status;
            row.RecordsProcessed = outcome.Processed;
            row.RecordsFailed = outcome.Failed;
            row.RecordsCreated = outcome.Created;
            row.RecordsUpdated = outcome.Updated;
            row.RecordsDeleted = outcome.Deleted;
            row.ErrorMessage = Truncate(outcome.Error ?? outcome.Warning ?? outcome.SkippedBecause, 4000);
            row.DeletionsHeld = outcome.DeletionsHeld;
            db.SyncFailedRecords.AddRange(outcome.FailedRecords.Select(f => new SyncFailedRecord { SyncId = row.SyncId, CleverId = f.CleverId, Reason = f.Reason }));
            if (outcome.Status is SyncStatus.Success or SyncStatus.Partial)
            {
                row.LastEventId = eventCursor;
                var previous = previousTimestamps.GetValueOrDefault(outcome.EntityType);
                row.LastSyncTimestamp = outcome.MaxLastModified is { } seen && (previous is null || seen > previous) ? seen : previous;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Closes a school's rows left InProgress by another process as Failed. Called by the holder of the school's claim
    /// (SyncRunSchools), which no live process shares, so such rows are a crash's or a dead node's. Rows of processes
    /// that are gone are also closed in bulk by <see cref="Runs.SyncRunStore.CloseAbandonedAsync"/>.
    /// </summary>
    public async Task<int> CloseInterruptedAsync(int schoolId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = Now;
        var self = instance.Id;
        return await db.SyncHistory
            .Where(h => h.SchoolId == schoolId && h.Status == SyncStatus.InProgress && (h.InstanceId == null || h.InstanceId != self))
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.Status, SyncStatus.Failed)
                .SetProperty(h => h.SyncEndTime, now)
                .SetProperty(h => h.ErrorMessage, InterruptedMessage), cancellationToken);
    }

    public async Task SetRequiresFullSyncAsync(int schoolId, bool value, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = Now;
        await db.Schools.Where(s => s.SchoolId == schoolId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RequiresFullSync, value).SetProperty(x => x.UpdatedAt, now), cancellationToken);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
