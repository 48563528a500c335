using System.Diagnostics.Tracing;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>Debug aid: names of the methods the JIT compiles while it listens (BENCH_JIT_NAMES=file).</summary>
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

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (_on && e.EventName is { } n && n.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) && e.Payload is { } p)
        {
            var ns = p[e.PayloadNames!.IndexOf("MethodNamespace")];
            var name = p[e.PayloadNames!.IndexOf("MethodName")];
            lock (_names)
            {
                _names.Add($"{ns}::{name}");
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
