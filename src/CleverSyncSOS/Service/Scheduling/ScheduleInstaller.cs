using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CleverSyncSOS.Host.Service.Scheduling;

/// <summary>
/// Puts the configured cron schedule in the job store once the scheduler runs. A node that finds the same schedule
/// already stored (a restart, or another node of the cluster) leaves it as it is, so its misfire state survives: a
/// schedule missed while every node was down runs once, not once per missed day.
/// </summary>
public sealed partial class ScheduleInstaller(ISchedulerFactory schedulers, IOptions<Runs.SchedulerOptions> options, TimeProvider time,
    ILogger<ScheduleInstaller> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var value = options.Value;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(value.TimeZone);
        if (await scheduler.GetTrigger(ScheduledSyncJob.TriggerKey, cancellationToken) is ICronTrigger existing
            && existing.CronExpressionString == value.Cron && existing.TimeZone.Id == zone.Id)
        {
            LogSchedule(logger, value.Cron, zone.Id, existing.NextFireTimeUtc);
            return;
        }

        var job = JobBuilder.Create<ScheduledSyncJob>().WithIdentity(ScheduledSyncJob.Key).StoreDurably().Build();
        var trigger = TriggerBuilder.Create(time)
            .WithIdentity(ScheduledSyncJob.TriggerKey)
            .ForJob(job)
            .WithCronSchedule(value.Cron, cron => cron.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(job, trigger, ScheduleJobOptions.Replacing, cancellationToken);
        LogSchedule(logger, value.Cron, zone.Id, trigger.NextFireTimeUtc);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "Scheduled sync of every active school: '{Cron}' ({TimeZone}), next at {Next:u}")]
    private static partial void LogSchedule(ILogger logger, string cron, string timeZone, DateTimeOffset? next);
}
