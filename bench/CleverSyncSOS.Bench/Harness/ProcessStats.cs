using System.Diagnostics;
using System.Runtime;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// CPU time, garbage collection and JIT of this process, to show where a measured operation's time went, and the CPU
/// time the hypervisor took from the whole machine meanwhile (steal).
/// </summary>
public readonly record struct ProcessStats(TimeSpan Cpu, TimeSpan GcPause, int Gen0, int Gen1, int Gen2, long Allocated, long JitMethods, TimeSpan JitTime,
    TimeSpan Steal, long At)
{
    public static ProcessStats Capture()
    {
        using var self = Process.GetCurrentProcess();
        return new ProcessStats(self.TotalProcessorTime, GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetTotalAllocatedBytes(precise: false), JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime(), MachineSteal(), Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// The machine's steal time so far: the 8th figure of /proc/stat's <c>cpu</c> line, in clock ticks of 1/100 s (what
    /// Linux reports to user space on every platform the benchmark runs on); zero where there is no /proc/stat.
    /// </summary>
    private static TimeSpan MachineSteal()
    {
        try
        {
            using var stat = new StreamReader("/proc/stat");
            var cpu = stat.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return cpu is { Length: > 8 } && cpu[0] == "cpu" && long.TryParse(cpu[8], System.Globalization.CultureInfo.InvariantCulture, out var ticks)
                ? TimeSpan.FromSeconds(ticks / 100.0)
                : TimeSpan.Zero;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>Adds what happened since <paramref name="before"/> to a measurement (CPU seconds of this process, GC pauses and counts, MiB allocated, methods compiled).</summary>
    public void AddSince(ProcessStats before, Measurement m)
    {
        m.Extra["cpuSeconds"] = Math.Round((Cpu - before.Cpu).TotalSeconds, 3);
        m.Extra["gcPauseSeconds"] = Math.Round((GcPause - before.GcPause).TotalSeconds, 3);
        m.Extra["gen0"] = Gen0 - before.Gen0;
        m.Extra["gen1"] = Gen1 - before.Gen1;
        m.Extra["gen2"] = Gen2 - before.Gen2;
        m.Extra["allocatedMiB"] = Math.Round((Allocated - before.Allocated) / 1048576.0, 1);
        m.Extra["jitMethods"] = JitMethods - before.JitMethods;
        m.Extra["jitSeconds"] = Math.Round((JitTime - before.JitTime).TotalSeconds, 3);
        var elapsed = Stopwatch.GetElapsedTime(before.At, At).TotalSeconds;
        m.Extra["stealSeconds"] = Math.Round((Steal - before.Steal).TotalSeconds, 3);
        m.Extra[StealShare] = elapsed > 0 ? Math.Round((Steal - before.Steal).TotalSeconds / (elapsed * Environment.ProcessorCount), 3) : 0;
    }

    /// <summary>The share of the machine's CPU time (all cores) the hypervisor took while the operation ran.</summary>
    public const string StealShare = "stealShare";
}
