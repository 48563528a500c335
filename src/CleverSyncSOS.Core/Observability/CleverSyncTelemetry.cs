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
}
