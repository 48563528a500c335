using System.Diagnostics;
using System.Globalization;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// Peak memory of this process during one operation: the kernel's peak resident set (VmHWM), reset just before
/// the operation through /proc/self/clear_refs (so a warm-up that ran earlier in the same process does not
/// count), plus the highest managed heap size seen by a 10 ms sampler.
/// </summary>
public sealed class MemoryProbe
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly bool _reset;
    private long _peakManaged;

    private MemoryProbe()
    {
        // Give back what earlier work left (decommitting free GC regions) before the peak is reset.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _reset = TryResetPeak();
        _peakManaged = GC.GetTotalMemory(false);
        _sampler = Task.Run(SampleAsync);
    }

    public static MemoryProbe Start() => new();

    public async Task<(long PeakRss, bool ScenarioOnly, long PeakManaged)> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        Sample();
        return (ReadPeakRss(), _reset, Interlocked.Read(ref _peakManaged));
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Sample()
    {
        var now = GC.GetTotalMemory(false);
        long seen;
        while (now > (seen = Interlocked.Read(ref _peakManaged)) && Interlocked.CompareExchange(ref _peakManaged, now, seen) != seen)
        {
        }
    }

    /// <summary>Writing 5 to clear_refs resets the peak RSS to the current RSS (Linux 4.0+).</summary>
    private static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    private static long ReadPeakRss()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: fall through.
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }
}
