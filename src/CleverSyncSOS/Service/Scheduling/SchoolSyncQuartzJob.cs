using CleverSyncSOS.Authentication;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Runs;
using CleverSyncSOS.Sync;
using Microsoft.Extensions.Logging;
using CleverSyncSOS.Host.Service.Alerts;
using Quartz;

namespace CleverSyncSOS.Host.Service.Scheduling;

/// <summary>
/// Syncs one school for one run. There is one durable Quartz job per school and Quartz never runs it twice at once,
/// in this process or, clustered, on any node; a node that dies mid-run has its firing recovered by another.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class SchoolSyncQuartzJob(
    SyncOrchestrator orchestrator,
    SyncRunStore runs,
    AuthenticationHealthTracker authHealth,
    LiveProgress live,
    ShutdownGrace shutdown,
    SyncAlerts alerts,
    SyncJobQueue queue,
    ILogger<SchoolSyncQuartzJob> logger) : IJob
{
    public const string Group = "schools";
    public const string CancelledAtShutdown = "Cancelled at shutdown: the service stopped before this sync finished; nothing was changed.";

    public static JobKey KeyFor(int schoolId) => new($"school-{schoolId}", Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = SchoolRunData.From(context.MergedJobDataMap);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = data.RunId, ["SchoolId"] = data.SchoolId });
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Token);
        var token = stopping.Token;

        try
        {
            await RunAsync(data, token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || token.IsCancellationRequested)
        {
            // Whatever stopped the job before the sync could record it, the school's claim must not stay open.
            var reason = token.IsCancellationRequested ? CancelledAtShutdown : $"The sync could not start: {ex.Message}";
            LogJobFailed(logger, ex, data.SchoolId, reason);
            await runs.FinishOpenAsync(data.RowId, SyncRunStatus.Failed, reason, CancellationToken.None);
        }
    }

    private async Task RunAsync(SchoolRunData data, CancellationToken token)
    {
        var target = await orchestrator.LoadTargetAsync(data.SchoolId, token);
        if (target is null)
        {
            await runs.FinishAsync(data.RowId, SyncRunStatus.Skipped, "The school is no longer onboarded.", CancellationToken.None);
            return;
        }

        // The rollout's fallback: while the district cannot authenticate, a scheduled sync waits instead of failing.
        if (data.Trigger == SyncTrigger.Schedule && authHealth.Get(target.District.CleverDistrictId) is { } health && CleverSyncSOS.Health.CleverAuthHealthCheck.IsUnhealthy(health))
        {
            var reason = $"Held: Clever authentication of district {target.District.CleverDistrictId} is Unhealthy ({health.LastErrorMessage}). Retried until it heals.";
            await runs.HoldAsync(data.RowId, reason, CancellationToken.None);
            SyncMetrics.Held(target.District.CleverDistrictId);
            LogHeld(logger, target.School.Name, reason);
            alerts.Held(target, reason);
            await queue.RetryHeldAsync(data, CancellationToken.None);
            return;
        }

        if (!await runs.StartAsync(data.RowId, token))
        {
            // Closed meanwhile, or (held) the school was claimed by another run in the meantime.
            await runs.FinishOpenAsync(data.RowId, SyncRunStatus.Skipped, "Skipped: the school was being synced by another run.", CancellationToken.None);
            LogNotStarted(logger, target.School.Name, data.RunId);
            return;
        }

        var request = new SyncRequest(null, data.ForceFull, data.AllowMassDelete) { CancelledMessage = CancelledAtShutdown };
        var progress = live.For(data.RunId, data.SchoolId);
        var result = await orchestrator.RunClaimedAsync(data.RowId, data.RunId, target, request, progress, token);
        live.Remove(data.RunId, data.SchoolId);
        await alerts.CompletedAsync(target, result, CancellationToken.None);
    }

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "The sync job of school {SchoolId} failed: {Reason}")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, int schoolId, string reason);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Scheduled sync of {SchoolName} held: {Reason}")]
    private static partial void LogHeld(ILogger logger, string schoolName, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "The sync of {SchoolName} in run {RunId} was closed or taken by another process before it started")]
    private static partial void LogNotStarted(ILogger logger, string schoolName, Guid runId);
}

/// <summary>What a school job's trigger carries (strings only, so any job store keeps it).</summary>
public sealed record SchoolRunData(Guid RunId, int RowId, int SchoolId, string Trigger, bool ForceFull, bool AllowMassDelete)
{
    public JobDataMap ToMap() => new()
    {
        ["runId"] = RunId.ToString(),
        ["rowId"] = RowId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["schoolId"] = SchoolId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["trigger"] = Trigger,
        ["full"] = ForceFull ? "true" : "false",
        ["allowMassDelete"] = AllowMassDelete ? "true" : "false",
    };

    public static SchoolRunData From(JobDataMap map) => new(
        Guid.Parse(map.GetString("runId")!),
        int.Parse(map.GetString("rowId")!, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(map.GetString("schoolId")!, System.Globalization.CultureInfo.InvariantCulture),
        map.GetString("trigger")!,
        map.GetString("full") == "true",
        map.GetString("allowMassDelete") == "true");
}
