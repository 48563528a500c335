using System.Diagnostics;
using System.Runtime;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>CPU time, garbage collection and JIT of this process, to show where a measured operation's time went.</summary>
public readonly record struct ProcessStats(TimeSpan Cpu, TimeSpan GcPause, int Gen0, int Gen1, int Gen2, long Allocated, long JitMethods, TimeSpan JitTime)
{
    public static ProcessStats Capture()
    {
        using var self = Process.GetCurrentProcess();
        return new ProcessStats(self.TotalProcessorTime, GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetTotalAllocatedBytes(precise: false), JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
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
    }
}
