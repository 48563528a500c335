using System.Threading.Channels;
using CleverSyncSOS.Observability;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.Service.Alerts;

/// <summary>
/// Turns repeated failures into something an operator is told about: an error event with a stable id
/// (<see cref="RepeatedFailureEventId"/>) and the <c>cleversync.sync.repeated_failures</c> metric from the 3rd failed sync in
/// a row, and, when configured, a webhook notice of failed and held runs. Nothing here ever waits on the webhook.
/// </summary>
public sealed partial class SyncAlerts(SessionDatabase sessionDatabase, IOptions<AlertOptions> options, TimeProvider time, ILogger<SyncAlerts> logger)
{
    public const int RepeatedFailureEventId = 5100;

    private readonly Channel<AlertNotice> _notices = Channel.CreateBounded<AlertNotice>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<AlertNotice> Notices => _notices.Reader;

    public async Task CompletedAsync(SchoolSyncTarget target, SchoolSyncResult result, CancellationToken cancellationToken)
    {
        // A deletion the mass-deletion guard held back waits for an operator: a held run, with the guard's numbers.
        if (result.Entities.FirstOrDefault(e => e.DeletionsHeld) is { } held)
        {
            Held(target, held.Warning!);
        }

        if (result.Status != SyncStatus.Failed)
        {
            return;
        }

        var failures = await ConsecutiveFailuresAsync(target.School.SchoolId, cancellationToken);
        if (failures >= options.Value.ConsecutiveFailures)
        {
            CleverSyncTelemetry.RepeatedFailures.Add(1, new("school", target.School.CleverSchoolId), new("district", target.District.CleverDistrictId));
            LogRepeatedFailure(logger, target.School.Name, target.School.CleverSchoolId, failures, result.Error ?? FirstError(result));
        }

        Publish(new AlertNotice("failed", target.District.CleverDistrictId, target.School.CleverSchoolId, target.School.Name,
            result.Error ?? FirstError(result), failures, time.GetUtcNow().UtcDateTime));
    }

    public void Held(SchoolSyncTarget target, string reason) =>
        Publish(new AlertNotice("held", target.District.CleverDistrictId, target.School.CleverSchoolId, target.School.Name, reason, 0, time.GetUtcNow().UtcDateTime));

    private void Publish(AlertNotice notice)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.WebhookUrl))
        {
            _notices.Writer.TryWrite(notice);
        }
    }

    /// <summary>Failed runs of the school since its last one that was not Failed (held, paused and skipped runs do not count).</summary>
    private async Task<int> ConsecutiveFailuresAsync(int schoolId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var recent = await db.SyncRunSchools.AsNoTracking()
            .Where(r => r.SchoolId == schoolId && (r.Status == SyncRunStatus.Success || r.Status == SyncRunStatus.Partial || r.Status == SyncRunStatus.Failed))
            .OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.Id)
            .Select(r => r.Status).Take(100).ToListAsync(cancellationToken);
        return recent.TakeWhile(s => s == SyncRunStatus.Failed).Count();
    }

    private static string FirstError(SchoolSyncResult result) => result.Entities.Select(e => e.Error).FirstOrDefault(e => e is not null) ?? "failed";

    [LoggerMessage(EventId = RepeatedFailureEventId, EventName = "RepeatedSyncFailure", Level = LogLevel.Error,
        Message = "The sync of {SchoolName} ({CleverSchoolId}) failed {Failures} times in a row: {Reason}")]
    private static partial void LogRepeatedFailure(ILogger logger, string schoolName, string cleverSchoolId, int failures, string reason);
}

/// <summary>One failed or held run, as the webhook receives it. Never holds a secret: reasons are the sync's own messages.</summary>
public sealed record AlertNotice(string Kind, string CleverDistrictId, string CleverSchoolId, string SchoolName, string Reason, int ConsecutiveFailures, DateTime At);
