using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using Quartz;

namespace CleverSyncSOS.Host.Service.Scheduling;

/// <summary>The cron schedule's job: queues a run of every active school. Clustered, one node fires it per occurrence.</summary>
[DisallowConcurrentExecution]
public sealed class ScheduledSyncJob(SyncJobQueue queue) : IJob
{
    public static readonly JobKey Key = new("scheduled-sync", "schedule");
    public static readonly TriggerKey TriggerKey = new("scheduled-sync", "schedule");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await queue.QueueAsync(SyncTrigger.Schedule, new SyncRequest(), district: null, requestedBy: "schedule", cancellationToken);
}
