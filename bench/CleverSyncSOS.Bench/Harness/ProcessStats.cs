using System.Diagnostics;
using System.Runtime;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// CPU time, garbage collection and JIT of this process, to show where a measured operation's time went, and the CPU
/// time the hypervisor took from the whole machine meanwhile (steal), the machine's busy time and the parent's CPU time.
/// </summary>
public readonly record struct ProcessStats(TimeSpan Cpu, TimeSpan GcPause, int Gen0, int Gen1, int Gen2, long Allocated, long JitMethods, TimeSpan JitTime,
    TimeSpan Steal, TimeSpan MachineBusy, TimeSpan ParentCpu, long At)
{
    public static ProcessStats Capture()
    {
        using var self = Process.GetCurrentProcess();
        var (steal, busy) = MachineTimes();
        return new ProcessStats(self.TotalProcessorTime, GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetTotalAllocatedBytes(precise: false), JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime(), steal, busy, ReadParentCpu(), Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// CPU time of the process that started this one: a worker's parent hosts the simulators, so this is what serving
    /// Clever's pages cost during a run (utime + stime of /proc/[ppid]/stat, in ticks of 1/100 s).
    /// </summary>
    private static TimeSpan ReadParentCpu()
    {
        try
        {
            var self = File.ReadAllText("/proc/self/stat");
            var fields = self[(self.LastIndexOf(')') + 2)..].Split(' ');
            var parent = File.ReadAllText($"/proc/{fields[1]}/stat");
            var parentFields = parent[(parent.LastIndexOf(')') + 2)..].Split(' ');
            // After the command name: state is field 3, utime 14 and stime 15 (1-based), so indexes 11 and 12 here.
            var ticks = long.Parse(parentFields[11], System.Globalization.CultureInfo.InvariantCulture)
                        + long.Parse(parentFields[12], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>
    /// The machine's steal time so far (the 8th figure of /proc/stat's <c>cpu</c> line) and its busy time (user, nice,
    /// system, irq and softirq: beside the elapsed time it says whether a run kept the cores busy or waited on something),
    /// in clock ticks of 1/100 s (what Linux reports to user space on every platform the benchmark runs on); zero where
    /// there is no /proc/stat.
    /// </summary>
    private static (TimeSpan Steal, TimeSpan Busy) MachineTimes()
    {
        try
        {
            using var stat = new StreamReader("/proc/stat");
            var cpu = stat.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cpu is not { Length: > 8 } || cpu[0] != "cpu")
            {
                return default;
            }

            long Ticks(int i) => long.Parse(cpu[i], System.Globalization.CultureInfo.InvariantCulture);
            return (TimeSpan.FromSeconds(Ticks(8) / 100.0), TimeSpan.FromSeconds((Ticks(1) + Ticks(2) + Ticks(3) + Ticks(6) + Ticks(7)) / 100.0));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return default;
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
        m.Extra["machineBusySeconds"] = Math.Round((MachineBusy - before.MachineBusy).TotalSeconds, 2);
        m.Extra["parentCpuSeconds"] = Math.Round((ParentCpu - before.ParentCpu).TotalSeconds, 2);
        m.Extra[StealShare] = elapsed > 0 ? Math.Round((Steal - before.Steal).TotalSeconds / (elapsed * Environment.ProcessorCount), 3) : 0;
    }

    /// <summary>The share of the machine's CPU time (all cores) the hypervisor took while the operation ran.</summary>
    public const string StealShare = "stealShare";
}
