using System.Diagnostics.Tracing;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// Debug aid (BENCH_JIT_NAMES=file): the methods the JIT compiles while it listens, one line each with the label of the
/// run, the milliseconds from the start of its compilation to its load (wall time: on a busy machine it includes waits),
/// its optimization tier (MethodFlags bits 7-9: 3 quick, 4 optimized tier 1, 7 instrumented) and its name.
/// </summary>
public sealed class JitNames : EventListener
{
    private readonly List<string> _names = [];
    private volatile bool _on;

    public static JitNames? Start() => Environment.GetEnvironmentVariable("BENCH_JIT_NAMES") is { Length: > 0 } ? new JitNames() : null;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10);
            _on = true;
        }
    }

    private readonly Dictionary<ulong, DateTime> _started = [];

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on || e.EventName is not { } n || e.Payload is not { } p)
        {
            return;
        }

        if (n.StartsWith("MethodJittingStarted", StringComparison.Ordinal))
        {
            lock (_names)
            {
                _started[(ulong)p[e.PayloadNames!.IndexOf("MethodID")]!] = e.TimeStamp;
            }
        }
        else if (n.StartsWith("MethodLoadVerbose", StringComparison.Ordinal))
        {
            var ns = p[e.PayloadNames!.IndexOf("MethodNamespace")];
            var name = p[e.PayloadNames!.IndexOf("MethodName")];
            var flags = Convert.ToUInt32(p[e.PayloadNames!.IndexOf("MethodFlags")], System.Globalization.CultureInfo.InvariantCulture);
            var id = (ulong)p[e.PayloadNames!.IndexOf("MethodID")]!;
            lock (_names)
            {
                var ms = _started.Remove(id, out var start) ? (e.TimeStamp - start).TotalMilliseconds : -1;
                _names.Add($"{ms:F2}\t{(flags >> 7) & 7}\t{ns}::{name}");
            }
        }
    }

    private static int _runs;

    public void Save(string label)
    {
        label += "#" + Interlocked.Increment(ref _runs);
        Thread.Sleep(500);
        lock (_names)
        {
            File.AppendAllLines(Environment.GetEnvironmentVariable("BENCH_JIT_NAMES")!, _names.Select(x => $"{label}\t{x}"));
        }

        Dispose();
    }
}
