using CleverSyncSOS.Persistence;
using CleverSyncSOS.Runs;
using Microsoft.Extensions.Options;
using Quartz;

namespace CleverSyncSOS.Host.Service.Scheduling;

/// <summary>What data annotations cannot say about <c>CleverSyncSOS:Scheduler</c>, each message naming its key.</summary>
public sealed class SchedulerOptionsValidator(IOptions<DatabaseOptions> databases) : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        var failures = new List<string>();
        if (!CronExpression.TryParse(options.Cron, out _))
        {
            failures.Add($"{SchedulerOptions.SectionName}:Cron '{options.Cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 2 * * ?').");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            failures.Add($"{SchedulerOptions.SectionName}:TimeZone '{options.TimeZone}' is not a known time zone (e.g. 'UTC', 'America/Chicago').");
        }

        if (options.Clustered && databases.Value.SessionDbProvider == DatabaseProvider.Sqlite)
        {
            failures.Add($"{SchedulerOptions.SectionName}:Clustered needs SessionDb on PostgreSQL or SQL Server ({DatabaseOptions.SectionName}:SessionDbProvider); SQLite is one machine's file.");
        }

        if (options.InstanceTimeoutSeconds <= options.HeartbeatSeconds)
        {
            failures.Add($"{SchedulerOptions.SectionName}:InstanceTimeoutSeconds ({options.InstanceTimeoutSeconds}) must be longer than HeartbeatSeconds ({options.HeartbeatSeconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
