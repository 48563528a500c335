using System.Collections.Concurrent;
using System.Diagnostics;
using CleverSyncSOS.Observability;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// Where a sync's time goes, from the service's own trace spans: the summed duration of each span name (page fetch
/// and parse, roster write batches, change-log writes) during one measured operation. Spans on the reading and the
/// writing side overlap in time, so the sums are compared with the wall time, not added up. The school database's
/// commit and close come after every write (on SQLite: the WAL's sync and, after a large run, its checkpoint).
/// </summary>
public sealed class PhaseProbe : IDisposable
{
    private static readonly string[] Phases = ["SchoolSync", "CleverPageFetch", "WriteBatch", "ChangeLogWrite", "CommitSchool", "CloseSchool"];
    private readonly ConcurrentDictionary<string, PhaseSpans> _phases = new(StringComparer.Ordinal);
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
        var span = new PhaseSpans(activity.Duration, activity.StartTimeUtc, activity.StartTimeUtc + activity.Duration);
        _phases.AddOrUpdate(activity.OperationName, span, (_, sum) => sum.Add(span));
    }

    /// <summary>The spans of one name so far: their summed duration, the first start and the last end.</summary>
    private readonly record struct PhaseSpans(TimeSpan Duration, DateTime First, DateTime Last)
    {
        public PhaseSpans Add(PhaseSpans other) =>
            new(Duration + other.Duration, other.First < First ? other.First : First, other.Last > Last ? other.Last : Last);
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
            if (!_phases.TryGetValue(name, out var phase))
            {
                m.Extra[$"phase.{name}"] = 0.0;
                continue;
            }

            m.Extra[$"phase.{name}"] = Math.Round(phase.Duration.TotalSeconds, 3);
            m.Extra[$"phase.{name}.from"] = Math.Round((phase.First - _started).TotalSeconds, 3);
            m.Extra[$"phase.{name}.to"] = Math.Round((phase.Last - _started).TotalSeconds, 3);
        }
    }

    public void Dispose() => _listener.Dispose();
}
