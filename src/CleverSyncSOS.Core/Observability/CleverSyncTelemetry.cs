using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CleverSyncSOS.Observability;

/// <summary>The service's one ActivitySource and one Meter, both named "CleverSyncSOS".</summary>
public static class CleverSyncTelemetry
{
    public const string Name = "CleverSyncSOS";

    public static readonly ActivitySource ActivitySource = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Token acquisitions by outcome (success, failure, cached); the success rate is read off this.</summary>
    public static readonly Counter<long> TokenAcquisitions =
        Meter.CreateCounter<long>("cleversync.auth.token_acquisitions", description: "District token acquisitions by outcome");

    public static readonly Counter<long> RecordsWritten =
        Meter.CreateCounter<long>("cleversync.sync.records", description: "Records created, updated, deleted or failed by sync");

    public static readonly Histogram<double> SchoolSyncDuration =
        Meter.CreateHistogram<double>("cleversync.sync.school.duration", unit: "s", description: "Duration of one school's sync");

    public static readonly Counter<long> RecordsProcessed =
        Meter.CreateCounter<long>("cleversync.sync.records.processed", description: "Records read from Clever and written or confirmed, by entity");

    public static readonly Counter<long> RateLimitWaits =
        Meter.CreateCounter<long>("cleversync.clever.rate_limit_waits", description: "Requests slowed or delayed by Clever's rate limit");

    /// <summary>Scheduled school syncs not run, by reason (held: authentication Unhealthy; paused: pause window; skipped: already running).</summary>
    public static readonly Counter<long> ScheduledSkipped =
        Meter.CreateCounter<long>("cleversync.schedule.skipped", description: "Scheduled school syncs not run, by reason");

    /// <summary>The 3rd and each further consecutive failed sync of a school: what an alert rule watches.</summary>
    public static readonly Counter<long> RepeatedFailures =
        Meter.CreateCounter<long>("cleversync.sync.repeated_failures", description: "Syncs that failed for the 3rd (or later) time in a row, by school");
}
