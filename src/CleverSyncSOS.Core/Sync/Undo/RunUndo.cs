using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Applying;
using CleverSyncSOS.Sync.Changes;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync.Undo;

/// <summary>Why an undo was not done, in words for the operator.</summary>
public sealed class UndoRefusedException(string message) : InvalidOperationException(message);

/// <summary>
/// Takes a run back from the school's change log: every record it created is deleted, every record it deleted is
/// restored with its values, every field it changed gets its old value back, in one transaction, recorded in
/// SyncHistory as its own run (SyncType Undo, itself in the change log). Refused when a later run touched the same
/// records (unless forced). The school is then flagged for a full sync, so it converges to Clever again. Like a sync,
/// an undo holds the school's claim (SyncRunSchools) while it works: it is refused while the school is being synced,
/// and a sync is refused while the undo runs.
/// </summary>
public sealed partial class RunUndo(
    ChangeLogReader changeLog,
    SchoolDatabases schoolDatabases,
    SyncHistoryRecorder history,
    Runs.SyncRunStore runs,
    Runs.InstanceRegistry instances,
    IOptions<SyncOptions> options,
    TimeProvider time,
    ILogger<RunUndo> logger)
{
    public async Task<SchoolSyncResult> UndoAsync(int syncId, bool force, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var run = await changeLog.RunIdsAsync(syncId, cancellationToken);
        if (run.Rows.Any(r => r.Status == SyncStatus.InProgress))
        {
            throw new UndoRefusedException($"Run {syncId} has not finished; undo it once it has.");
        }

        var school = await changeLog.SchoolOfAsync(run.SchoolId, cancellationToken);
        await using var alive = await instances.KeepAliveAsync(cancellationToken);
        var undoRun = await runs.CreateRunAsync(SyncTrigger.Cli, new SyncRequest(school.CleverSchoolId), null, $"cleversync undo --run {syncId}", cancellationToken);
        var claim = await runs.TryClaimAsync(undoRun.RunId, school.SchoolId, SyncRunStatus.Running, cancellationToken);
        if (claim.Holder is { } holder)
        {
            await runs.DiscardEmptyRunAsync(undoRun.RunId, CancellationToken.None);
            throw new UndoRefusedException($"{school.Name} is being synced by {holder.InstanceId ?? "another process"} (run {holder.RunId}, " +
                                           $"{holder.Status.ToLowerInvariant()} since {holder.QueuedAt:u}); nothing was undone. Undo run {syncId} once that has finished.");
        }

        // The claim is always closed: with the result, as Skipped with the reason of a refusal, or as Failed.
        var status = SyncRunStatus.Failed;
        string? reason = "The undo failed; nothing was changed.";
        try
        {
            var result = await UndoClaimedAsync(syncId, force, run, school, undoRun.RunId, started, cancellationToken);
            (status, reason) = (result.Status, result.Error);
            return result;
        }
        catch (UndoRefusedException refused)
        {
            (status, reason) = (SyncRunStatus.Skipped, refused.Message);
            throw;
        }
        finally
        {
            await runs.FinishAsync(claim.RowId!.Value, status, reason, CancellationToken.None);
        }
    }

    private async Task<SchoolSyncResult> UndoClaimedAsync(int syncId, bool force, RunRows run, School school, Guid undoRunId, long started, CancellationToken cancellationToken)
    {
        List<ChangeLogEntry> entries;
        HashSet<(string, string)> touchedLater;
        var fills = new Dictionary<string, FilledRecords>(StringComparer.Ordinal);
        await using (var db = await schoolDatabases.OpenAsync(school, cancellationToken))
        {
            entries = await db.ChangeLog.AsNoTracking().Where(e => run.SyncIds.Contains(e.SyncId)).OrderBy(e => e.ChangeId).ToListAsync(cancellationToken);
            if (entries.Count == 0)
            {
                throw new UndoRefusedException($"Run {syncId} of {school.Name} changed nothing that the change log holds (nothing changed, the change log was off, " +
                                               $"or its entries are older than the {options.Value.ChangeLogRetentionDays}-day retention).");
            }

            var last = entries[^1].ChangeId;
            var later = await db.ChangeLog.AsNoTracking().Where(e => e.ChangeId > last && !run.SyncIds.Contains(e.SyncId))
                .Select(e => new { e.EntityType, e.CleverId }).Distinct().ToListAsync(cancellationToken);
            touchedLater = later.Select(e => (e.EntityType, e.CleverId)).ToHashSet();
            foreach (var fill in entries.Where(e => e.Action == ChangeAction.Filled))
            {
                var entity = SyncEntities.All.Single(e => e.EntityType == fill.EntityType);
                fills[fill.EntityType] = new FilledRecords(entity.Map(db.Model),
                    await db.ChangeLog.AsNoTracking().Where(e => e.EntityType == fill.EntityType && e.ChangeId > fill.ChangeId).ToListAsync(cancellationToken));
            }
        }

        var conflicts = entries.Where(e => e.Action != ChangeAction.Filled && touchedLater.Contains((e.EntityType, e.CleverId))).Select(e => $"{e.EntityType} {e.CleverId}")
            .Concat(fills.SelectMany(f => f.Value.ChangedLater.Order(StringComparer.Ordinal).Select(id => $"{f.Key} {id}"))).Distinct().ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw new UndoRefusedException($"{conflicts.Count} record(s) run {syncId} changed were changed again by later runs (e.g. {string.Join(", ", conflicts.Take(3))}); " +
                                           "undoing would overwrite those later changes. Undo the later runs first, or run again with --force.");
        }

        var entities = SyncEntities.All.Where(e => entries.Any(x => x.EntityType == e.EntityType)).ToList();
        var rows = await history.StartAsync(school.SchoolId, undoRunId, entities.Select(e => new EntitySyncOutcome(e.EntityType, SyncType.Undo)), cancellationToken);
        IReadOnlyList<EntitySyncOutcome> outcomes;
        string? error = null;
        try
        {
            outcomes = await ApplyAsync(school, entities, entries, fills, rows.ToDictionary(r => r.EntityType, r => r.SyncId, StringComparer.Ordinal), cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException or InvalidOperationException)
        {
            error = $"The school's database failed: {ex.GetBaseException().Message} Nothing was changed.";
            outcomes = entities.Select(e => new EntitySyncOutcome(e.EntityType, SyncType.Undo) { Error = error }).ToList();
        }

        await history.CompleteAsync(rows, outcomes, null, new Dictionary<string, DateTime?>(), CancellationToken.None);
        if (error is null)
        {
            await history.SetRequiresFullSyncAsync(school.SchoolId, true, CancellationToken.None);
            LogUndone(logger, syncId, school.Name, entries.Count);
        }

        return new SchoolSyncResult(school.SchoolId, school.CleverSchoolId, school.Name, school.DistrictId, outcomes, time.GetElapsedTime(started), error);
    }

    private async Task<IReadOnlyList<EntitySyncOutcome>> ApplyAsync(School school, IReadOnlyList<SyncEntity> entities, IReadOnlyList<ChangeLogEntry> entries,
        IReadOnlyDictionary<string, FilledRecords> fills, IReadOnlyDictionary<string, int> syncIds, CancellationToken cancellationToken)
    {
        await using var transaction = await SchoolTransaction.OpenAsync(await schoolDatabases.OpenAsync(school, cancellationToken),
            schoolDatabases.Provider, options.Value.BatchSize, time.GetUtcNow().UtcDateTime, cancellationToken);
        await using var log = new ChangeLogWriter(transaction.Connection, transaction.Transaction, transaction.Dialect, transaction.Model, syncIds, transaction.Now);
        var mode = new ApplyMode(AllowMassDelete: true, DryRun: false, ChangeLog: log);
        var outcomes = new List<EntitySyncOutcome>(entities.Count);
        foreach (var entity in entities)
        {
            await using var table = await EntityTable.OpenAsync(entity, transaction, mode, cancellationToken);
            if (fills.TryGetValue(entity.EntityType, out var filled))
            {
                // The table was empty before the run: every record it created goes, a page at a time.
                await foreach (var page in filled.PagesAsync(table.Writer, options.Value.BatchSize, cancellationToken))
                {
                    await table.DeleteAsync(page.Select(row => (string)row[0]!).ToList(), cancellationToken);
                }
            }

            var (restore, remove) = await BeforeTheRunAsync(table, entries.Where(e => e.EntityType == entity.EntityType).ToList(), cancellationToken);
            await table.DeleteAsync(remove, cancellationToken);
            await table.UpsertAsync(restore, cancellationToken);
            outcomes.Add(await table.OutcomeAsync(SyncType.Undo, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return outcomes;
    }

    /// <summary>
    /// Each record's state before the run, worked back from its current row through the run's changes, newest
    /// first: a creation means it did not exist, a deletion gives its full row, an update its old field values.
    /// </summary>
    private static async Task<(List<object?[]> Restore, List<string> Remove)> BeforeTheRunAsync(EntityTable table, IReadOnlyList<ChangeLogEntry> entries,
        CancellationToken cancellationToken)
    {
        var map = table.Map;
        var current = await table.Writer.ReadRowsAsync(entries.Where(e => e.Action != ChangeAction.Filled).Select(e => e.CleverId).Distinct().ToList(), cancellationToken);
        var state = new Dictionary<string, object?[]?>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.Action != ChangeAction.Filled).Reverse())
        {
            var row = state.TryGetValue(entry.CleverId, out var known) ? known : current.GetValueOrDefault(entry.CleverId)?.Values.ToArray();
            state[entry.CleverId] = entry.Action switch
            {
                ChangeAction.Created => null,
                ChangeAction.Deleted => ChangeValues.Row(map, ChangeValues.Read(entry.OldValues, map)),
                _ when row is not null => ChangeValues.WithOld(map, row, ChangeValues.Read(entry.OldValues, map)),
                _ => null,
            };
        }

        return (state.Values.OfType<object?[]>().ToList(), state.Where(s => s.Value is null).Select(s => s.Key).ToList());
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "Undid run {SyncId} of {SchoolName}: {Changes} changes taken back; the school is flagged for a full sync")]
    private static partial void LogUndone(ILogger logger, int syncId, string schoolName, int changes);
}
