using System.Collections.Concurrent;
using System.Diagnostics;
using CleverSyncSOS.Observability;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// Where a sync's time goes, from the service's own trace spans: the summed duration of each span name (page fetch
/// and parse, roster write batches, change-log writes) during one measured operation. Spans on the reading and the
/// writing side overlap in time, so the sums are compared with the wall time, not added up.
/// </summary>
public sealed class PhaseProbe : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _ticks = new(StringComparer.Ordinal);
    private readonly ActivityListener _listener;

    private PhaseProbe()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CleverSyncTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => _ticks.AddOrUpdate(activity.OperationName, activity.Duration.Ticks, (_, sum) => sum + activity.Duration.Ticks),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public static PhaseProbe Start() => new();

    /// <summary>Adds the seconds per span name to the measurement (Extra["phase.NAME"]), for the spans that say where records go.</summary>
    public void AddTo(Measurement m)
    {
        foreach (var name in new[] { "CleverPageFetch", "WriteBatch", "ChangeLogWrite" })
        {
            m.Extra[$"phase.{name}"] = Math.Round(TimeSpan.FromTicks(_ticks.GetValueOrDefault(name)).TotalSeconds, 3);
        }
    }

    public void Dispose() => _listener.Dispose();
}
