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
    private static readonly string[] Phases = ["CleverPageFetch", "WriteBatch", "ChangeLogWrite"];
    private readonly ConcurrentDictionary<string, long> _ticks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _firstStart = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _lastEnd = new(StringComparer.Ordinal);
    private readonly DateTime _started = DateTime.UtcNow;
    private readonly ActivityListener _listener;

    private PhaseProbe()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CleverSyncTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public static PhaseProbe Start() => new();

    private void Stopped(Activity activity)
    {
        var name = activity.OperationName;
        _ticks.AddOrUpdate(name, activity.Duration.Ticks, (_, sum) => sum + activity.Duration.Ticks);
        var start = activity.StartTimeUtc;
        var end = start + activity.Duration;
        _firstStart.AddOrUpdate(name, start, (_, first) => start < first ? start : first);
        _lastEnd.AddOrUpdate(name, end, (_, last) => end > last ? end : last);
    }

    /// <summary>
    /// Adds the seconds per span name to the measurement (Extra["phase.NAME"]), for the spans that say where records go,
    /// and when the first of them began and the last ended, counted from the start of the operation
    /// (Extra["phase.NAME.from"], ["phase.NAME.to"]): the time before the first write is the part nothing overlaps.
    /// </summary>
    public void AddTo(Measurement m)
    {
        foreach (var name in Phases)
        {
            m.Extra[$"phase.{name}"] = Math.Round(TimeSpan.FromTicks(_ticks.GetValueOrDefault(name)).TotalSeconds, 3);
            if (_firstStart.TryGetValue(name, out var first) && _lastEnd.TryGetValue(name, out var last))
            {
                m.Extra[$"phase.{name}.from"] = Math.Round((first - _started).TotalSeconds, 3);
                m.Extra[$"phase.{name}.to"] = Math.Round((last - _started).TotalSeconds, 3);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
