using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Runs;

/// <summary>
/// Runs and their schools in SessionDb. A school is claimed by inserting its Queued or Running row; the unique index on
/// active rows makes the first process win, whatever the provider, and the others see who holds the school.
/// </summary>
public sealed partial class SyncRunStore(
    SessionDatabase sessionDatabase,
    InstanceIdentity self,
    InstanceRegistry instances,
    TimeProvider time,
    ILogger<SyncRunStore> logger)
{
    public const string SchoolSyncCancelledReason = "Cancelled by a node's shutdown; queued again for another node.";

    public const string AbandonedMessage = "Interrupted: the process that queued or ran this sync stopped before it finished.";

    public async Task<SyncRun> CreateRunAsync(string trigger, SyncRequest request, string? district, string? requestedBy, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var run = new SyncRun
        {
            RunId = Guid.NewGuid(),
            Trigger = trigger,
            School = request.School is { } school ? Truncate(school, 50) : null,
            District = district is null ? null : Truncate(district, 50),
            ForceFull = request.ForceFull,
            AllowMassDelete = request.AllowMassDelete,
            RequestedBy = requestedBy is null ? null : Truncate(requestedBy, 200),
            RequestedAt = Now,
        };
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>Removes a run that no school was claimed or recorded in (a request answered "already running"): it did nothing.</summary>
    public async Task DiscardEmptyRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        await db.SyncRuns.Where(r => r.RunId == runId && !db.SyncRunSchools.Any(s => s.RunId == runId)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Claims a school for a run, as Queued (the service, before its job runs) or Running (the CLI). When another live
    /// process holds it, nothing is written and the holder is returned; a holder that is gone loses its claim first.
    /// </summary>
    public async Task<SchoolClaim> TryClaimAsync(Guid runId, int schoolId, string status, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = new SyncRunSchool
            {
                RunId = runId,
                SchoolId = schoolId,
                Status = status,
                InstanceId = self.Id,
                QueuedAt = Now,
                StartedAt = status == SyncRunStatus.Running ? Now : null,
            };
            await using (var db = await sessionDatabase.CreateDbContextAsync(cancellationToken))
            {
                db.SyncRunSchools.Add(row);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return new SchoolClaim(row.Id, null);
                }
                catch (DbUpdateException)
                {
                    // The unique index on active rows: someone holds the school (or the insert failed otherwise, which
                    // the lookup below tells apart).
                }
            }

            var holder = await ActiveClaimAsync(schoolId, cancellationToken);
            if (holder is null)
            {
                // The holder finished between the refused insert and this lookup (a short sync under load): claim again.
                // Only an insert that keeps failing with no holder at all is something else.
                if (attempt < 3)
                {
                    continue;
                }

                throw new InvalidOperationException($"Could not record the sync of school {schoolId} in SessionDb.");
            }

            if (attempt > 0 || !await CloseIfAbandonedAsync(holder, cancellationToken))
            {
                return new SchoolClaim(null, holder);
            }
        }
    }

    /// <summary>Records a school that was not run (held, paused, skipped) in a run, without claiming it.</summary>
    public async Task<int> RecordAsync(Guid runId, int schoolId, string status, string reason, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var row = new SyncRunSchool
        {
            RunId = runId, SchoolId = schoolId, Status = status, Reason = Truncate(reason, 1000), InstanceId = self.Id, QueuedAt = Now,
            FinishedAt = SyncRunStatus.IsFinal(status) ? Now : null,
        };
        db.SyncRunSchools.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row.Id;
    }

    /// <summary>
    /// This process takes a queued, held or recovered school row and runs it. False when the row was closed meanwhile,
    /// or another process claimed the school while it was held.
    /// </summary>
    public async Task<bool> StartAsync(int rowId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = Now;
        try
        {
            return await db.SyncRunSchools
                .Where(r => r.Id == rowId && (r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running || r.Status == SyncRunStatus.Held))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, SyncRunStatus.Running)
                    .SetProperty(r => r.InstanceId, self.Id)
                    .SetProperty(r => r.StartedAt, now), cancellationToken) == 1;
        }
        catch (DbUpdateException)
        {
            return false;
        }
        catch (System.Data.Common.DbException)
        {
            return false;
        }
    }

    /// <summary>A held school goes back to Held (its claim released) until the district's authentication heals.</summary>
    public Task HoldAsync(int rowId, string reason, CancellationToken cancellationToken) => SetAsync(rowId, SyncRunStatus.Held, reason, final: false, cancellationToken);

    public Task FinishAsync(int rowId, string status, string? reason, CancellationToken cancellationToken) =>
        SetAsync(rowId, status, reason, final: true, cancellationToken);

    /// <summary>Puts a school's row back in the queue (a clustered node's shutdown hands it to another node, which takes it with <see cref="StartAsync"/>).</summary>
    public async Task RequeueAsync(int rowId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        try
        {
            await db.SyncRunSchools.Where(r => r.Id == rowId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, SyncRunStatus.Queued)
                    .SetProperty(r => r.Reason, SchoolSyncCancelledReason)
                    .SetProperty(r => r.FinishedAt, (DateTime?)null), cancellationToken);
        }
        catch (System.Data.Common.DbException)
        {
            // Someone claimed the school meanwhile: the row stays closed, and the recovered firing finds nothing to do.
        }
    }

    /// <summary>Closes a school's row unless it already ended (a claim never stays open after its job).</summary>
    public async Task FinishOpenAsync(int rowId, string status, string reason, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = Now;
        var text = Truncate(reason, 1000);
        await db.SyncRunSchools
            .Where(r => r.Id == rowId && (r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running || r.Status == SyncRunStatus.Held))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.Reason, text)
                .SetProperty(r => r.FinishedAt, now), cancellationToken);
    }

    public async Task<SyncRunSchool?> FindSchoolRowAsync(int rowId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        return await db.SyncRunSchools.AsNoTracking().SingleOrDefaultAsync(r => r.Id == rowId, cancellationToken);
    }

    public async Task<SyncRunSchool?> ActiveClaimAsync(int schoolId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        return await db.SyncRunSchools.AsNoTracking()
            .Where(r => r.SchoolId == schoolId && (r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Closes what processes that are gone left open: their claims (unless the Quartz cluster will run or recover them)
    /// and their InProgress history rows. Work of live processes is never touched.
    /// </summary>
    public async Task<int> CloseAbandonedAsync(CancellationToken cancellationToken)
    {
        var live = await instances.LiveInstanceIdsAsync(cancellationToken);
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var clustered = await db.ServiceInstances.AsNoTracking().Where(i => i.Kind == ServiceInstanceKind.ClusteredService)
            .Select(i => i.InstanceId).ToListAsync(cancellationToken);
        var open = await db.SyncRunSchools.Where(r => r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running)
            .ToListAsync(cancellationToken);
        var now = Now;
        var closed = 0;
        foreach (var row in open.Where(r => r.InstanceId is null || (!live.Contains(r.InstanceId) && !clustered.Contains(r.InstanceId))))
        {
            row.Status = SyncRunStatus.Failed;
            row.Reason = AbandonedMessage;
            row.FinishedAt = now;
            closed++;
        }

        await db.SaveChangesAsync(cancellationToken);

        // Processes long gone are forgotten; their ids stay on the history rows they wrote.
        var forgotten = now - TimeSpan.FromDays(7);
        await db.ServiceInstances.Where(i => i.HeartbeatAt < forgotten).ExecuteDeleteAsync(cancellationToken);
        var liveIds = live.ToList();
        closed += await db.SyncHistory
            .Where(h => h.Status == SyncStatus.InProgress && (h.InstanceId == null || !liveIds.Contains(h.InstanceId)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.Status, SyncStatus.Failed)
                .SetProperty(h => h.SyncEndTime, now)
                .SetProperty(h => h.ErrorMessage, SyncHistoryRecorder.InterruptedMessage), cancellationToken);
        if (closed > 0)
        {
            LogClosedAbandoned(logger, closed);
        }

        return closed;
    }

    private async Task<bool> CloseIfAbandonedAsync(SyncRunSchool holder, CancellationToken cancellationToken)
    {
        if (holder.InstanceId is { } owner)
        {
            var live = await instances.LiveInstanceIdsAsync(cancellationToken);
            var instance = await instances.FindAsync(owner, cancellationToken);
            if (live.Contains(owner) || instance?.Kind == ServiceInstanceKind.ClusteredService)
            {
                return false;
            }
        }

        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = Now;
        return await db.SyncRunSchools.Where(r => r.Id == holder.Id && (r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, SyncRunStatus.Failed)
                .SetProperty(r => r.Reason, AbandonedMessage)
                .SetProperty(r => r.FinishedAt, now), cancellationToken) == 1;
    }

    private async Task SetAsync(int rowId, string status, string? reason, bool final, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = Now;
        var text = reason is null ? null : Truncate(reason, 1000);
        await db.SyncRunSchools.Where(r => r.Id == rowId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.Reason, text)
                .SetProperty(r => r.FinishedAt, final ? now : null), cancellationToken);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Closed {Count} runs left open by processes that are gone as Failed")]
    private static partial void LogClosedAbandoned(ILogger logger, int count);
}

/// <summary>The claimed row's id, or the row of whoever holds the school.</summary>
public sealed record SchoolClaim(int? RowId, SyncRunSchool? Holder)
{
    public bool Claimed => RowId is not null;
}
