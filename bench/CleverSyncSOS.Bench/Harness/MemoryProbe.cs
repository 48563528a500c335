using System.Diagnostics;
using System.Globalization;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// Peak memory of this process during one operation: the kernel's peak resident set (VmHWM), reset just before
/// the operation through /proc/self/clear_refs (so a warm-up that ran earlier in the same process does not
/// count), plus the highest managed heap size seen by a 10 ms sampler. The sampler also keeps what the resident
/// set was made of at its highest sample (anonymous memory: the GC heap and native allocations such as SQLite's;
/// mapped files; shared memory such as SQLite's WAL index), the GC's committed bytes and the thread count, so a
/// growth can be told apart.
/// </summary>
public sealed class MemoryProbe
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly bool _reset;
    private readonly Lock _gate = new();
    private long _peakManaged;
    private long _startRss;
    private ResidentSet _peakSample;
    private long _peakCommitted;
    private int _peakThreads;
    private int _peakFiles;
    private int _samples;

    private MemoryProbe()
    {
        // Give back what earlier work left (decommitting free GC regions) before the peak is reset.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _reset = TryResetPeak();
        _peakManaged = GC.GetTotalMemory(false);
        _startRss = ResidentSet.Read().Rss;
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

    /// <summary>After <see cref="StopAsync"/>: the resident set at the start and what it was made of at its highest sample, in MiB.</summary>
    public void AddBreakdown(IDictionary<string, double> extra)
    {
        lock (_gate)
        {
            extra["rssAtStartMiB"] = Mib(_startRss);
            extra["rssAnonAtPeakMiB"] = Mib(_peakSample.Anon);
            extra["rssFileAtPeakMiB"] = Mib(_peakSample.File);
            extra["rssShmemAtPeakMiB"] = Mib(_peakSample.Shmem);
            extra["gcCommittedPeakMiB"] = Mib(_peakCommitted);
            extra["threadsPeak"] = _peakThreads;
            extra["openFilesPeak"] = _peakFiles;
        }
    }

    private static double Mib(long bytes) => Math.Round(bytes / 1048576.0, 1);

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

        var resident = ResidentSet.Read();
        var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
        lock (_gate)
        {
            if (resident.Rss > _peakSample.Rss)
            {
                _peakSample = resident;
            }

            _peakCommitted = Math.Max(_peakCommitted, committed);
            _peakThreads = Math.Max(_peakThreads, resident.Threads);
            if (_samples++ % 10 == 0)
            {
                // Open descriptors: a database file (or its -wal, -shm) left open per school would show here.
                _peakFiles = Math.Max(_peakFiles, OpenFiles());
            }
        }
    }

    private static int OpenFiles()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The resident set's parts from /proc/self/status (zero where not Linux).</summary>
    private readonly record struct ResidentSet(long Rss, long Anon, long File, long Shmem, int Threads)
    {
        public static ResidentSet Read()
        {
            long rss = 0, anon = 0, file = 0, shmem = 0;
            var threads = 0;
            try
            {
                foreach (var line in System.IO.File.ReadLines("/proc/self/status"))
                {
                    switch (line.Split(':')[0])
                    {
                        case "VmRSS": rss = Kib(line); break;
                        case "RssAnon": anon = Kib(line); break;
                        case "RssFile": file = Kib(line); break;
                        case "RssShmem": shmem = Kib(line); break;
                        case "Threads": threads = (int)long.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture); break;
                    }
                }
            }
            catch (IOException)
            {
                // Not Linux.
            }

            return new ResidentSet(rss, anon, file, shmem, threads);
        }

        private static long Kib(string line) => long.Parse(line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
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
