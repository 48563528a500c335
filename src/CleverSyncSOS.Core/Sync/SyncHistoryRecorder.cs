using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Sync;

/// <summary>Writes SyncHistory: every run's row from InProgress to its end. What the next sync must be is <see cref="Planning.SyncPlanner"/>'s.</summary>
public sealed class SyncHistoryRecorder(SessionDatabase sessionDatabase, TimeProvider time)
{
    public const string InterruptedMessage = "Interrupted: the process stopped before this sync finished.";

    public async Task<IReadOnlyList<SyncHistory>> StartAsync(int schoolId, IEnumerable<EntitySyncOutcome> outcomes, CancellationToken cancellationToken)
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
            row.ErrorMessage = Truncate(outcome.Error ?? outcome.Warning, 4000);
            if (outcome.Status != SyncStatus.Failed)
            {
                row.LastEventId = eventCursor;
                var previous = previousTimestamps.GetValueOrDefault(outcome.EntityType);
                row.LastSyncTimestamp = outcome.MaxLastModified is { } seen && (previous is null || seen > previous) ? seen : previous;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Rows left InProgress by a crash are closed as Failed, so no run looks as if it were still going.</summary>
    public async Task<int> CloseInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = Now;
        return await db.SyncHistory
            .Where(h => h.Status == SyncStatus.InProgress)
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
