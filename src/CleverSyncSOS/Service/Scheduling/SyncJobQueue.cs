using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Runs;
using CleverSyncSOS.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CleverSyncSOS.Host.Service.Scheduling;

/// <summary>
/// Turns a request (the schedule's or an API caller's) into a run: each school is claimed Queued in SessionDb, then
/// its Quartz job is triggered, so every node of a cluster may take it. Scheduled and manual runs take the same path.
/// </summary>
public sealed partial class SyncJobQueue(
    ISchedulerFactory schedulers,
    SyncOrchestrator orchestrator,
    SyncRunStore runs,
    PauseWindows pauses,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<SyncJobQueue> logger)
{
    public async Task<QueuedRun> QueueAsync(string trigger, SyncRequest request, string? district, string? requestedBy, CancellationToken cancellationToken)
    {
        var targets = await orchestrator.LoadTargetsAsync(request.School, district, cancellationToken);
        var run = await runs.CreateRunAsync(trigger, request, district, requestedBy, cancellationToken);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var schools = new List<QueuedSchool>();
        // A caller who asked for one school that is already running is answered with that run (the API's 409):
        // nothing happened, so nothing is recorded. A scheduled firing keeps its run, skipped schools and all.
        var oneSchoolAsked = request.School is not null && trigger != SyncTrigger.Schedule;
        foreach (var target in targets)
        {
            var schoolId = target.School.SchoolId;
            if (trigger == SyncTrigger.Schedule && await pauses.ActiveAsync(target.District.CleverDistrictId, cancellationToken) is { } window)
            {
                var reason = $"Paused: district {window.CleverDistrictId} is in a pause window until {window.EndsAt:u}{(window.Reason is null ? "" : $" ({window.Reason})")}.";
                await runs.RecordAsync(run.RunId, schoolId, SyncRunStatus.Paused, reason, cancellationToken);
                SyncMetrics.Paused(target.District.CleverDistrictId);
                schools.Add(new QueuedSchool(target, SyncRunStatus.Paused, reason, null));
                continue;
            }

            var claim = await runs.TryClaimAsync(run.RunId, schoolId, SyncRunStatus.Queued, cancellationToken);
            if (claim.Holder is { } holder)
            {
                var reason = $"Skipped: already {holder.Status.ToLowerInvariant()} in run {holder.RunId}.";
                if (!oneSchoolAsked)
                {
                    await runs.RecordAsync(run.RunId, schoolId, SyncRunStatus.Skipped, reason, cancellationToken);
                }

                schools.Add(new QueuedSchool(target, SyncRunStatus.Skipped, reason, holder));
                continue;
            }

            var data = new SchoolRunData(run.RunId, claim.RowId!.Value, schoolId, trigger, request.ForceFull, request.AllowMassDelete);
            await FireAsync(scheduler, data, delay: TimeSpan.Zero, cancellationToken);
            schools.Add(new QueuedSchool(target, SyncRunStatus.Queued, null, null));
        }

        if (oneSchoolAsked && schools.All(s => s.Status == SyncRunStatus.Skipped))
        {
            await runs.DiscardEmptyRunAsync(run.RunId, cancellationToken);
        }

        LogQueued(logger, run.RunId, trigger, schools.Count(s => s.Status == SyncRunStatus.Queued), schools.Count);
        return new QueuedRun(run, schools);
    }

    /// <summary>A held school looks again after <see cref="SchedulerOptions.HoldRetrySeconds"/>, in the same run.</summary>
    public async Task RetryHeldAsync(SchoolRunData data, CancellationToken cancellationToken) =>
        await FireAsync(await schedulers.GetScheduler(cancellationToken), data, TimeSpan.FromSeconds(options.Value.HoldRetrySeconds), cancellationToken);

    private async Task FireAsync(IScheduler scheduler, SchoolRunData data, TimeSpan delay, CancellationToken cancellationToken)
    {
        var job = JobBuilder.Create<SchoolSyncQuartzJob>()
            .WithIdentity(SchoolSyncQuartzJob.KeyFor(data.SchoolId))
            .StoreDurably()
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create(time)
            .WithIdentity($"run-{data.RunId:N}-{data.SchoolId}-{Guid.NewGuid():N}", SchoolSyncQuartzJob.Group)
            .ForJob(job)
            .UsingJobData(data.ToMap())
            .StartAt(time.GetUtcNow() + delay)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();

        // Replacing the durable job keeps its other pending triggers; the trigger is new, so it never replaces one.
        await scheduler.ScheduleJob(job, trigger, ScheduleJobOptions.Replacing, cancellationToken);
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Run {RunId} ({Trigger}): {Queued} of {Schools} schools queued")]
    private static partial void LogQueued(ILogger logger, Guid runId, string trigger, int queued, int schools);
}

public sealed record QueuedRun(SyncRun Run, IReadOnlyList<QueuedSchool> Schools);

public sealed record QueuedSchool(SchoolSyncTarget Target, string Status, string? Reason, SyncRunSchool? RunningIn);
