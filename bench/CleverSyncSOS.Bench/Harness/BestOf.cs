namespace CleverSyncSOS.Bench.Harness;

/// <summary>Reports a series of runs of one operation as its fastest, with the count and the slowest beside it.</summary>
public static class BestOf
{
    private static readonly string[] MemoryExtras =
        ["rssAtStartMiB", "rssAnonAtPeakMiB", "rssFileAtPeakMiB", "rssShmemAtPeakMiB", "gcCommittedPeakMiB", "threadsPeak", "openFilesPeak"];

    /// <summary>Runs <paramref name="run"/> <paramref name="runs"/> times (at least once, one after the other) and picks the fastest.</summary>
    public static async Task<Measurement> MeasureAsync(int runs, Func<Task<Measurement>> run, bool memoryOfFirst = false)
    {
        var measured = new List<Measurement>();
        for (var i = 0; i < Math.Max(1, runs); i++)
        {
            measured.Add(await run());
        }

        return Pick(measured, memoryOfFirst);
    }

    /// <summary>
    /// The fastest run. With <paramref name="memoryOfFirst"/>, its memory figures are the first run's: that one ran in a
    /// process that had only warmed up, as every memory figure of the report did before runs were repeated, so the
    /// memory ratios do not drift with what the earlier runs left in the heap.
    /// </summary>
    private static Measurement Pick(IReadOnlyList<Measurement> runs, bool memoryOfFirst)
    {
        var best = runs.MaxBy(r => r.RecordsPerSecond) ?? throw new ArgumentException("No run to pick from.", nameof(runs));
        best.Extra["runs"] = runs.Count;
        best.Extra["worstRecordsPerSecond"] = Math.Round(runs.Min(r => r.RecordsPerSecond));
        best.Extra["worstSeconds"] = Math.Round(runs.Max(r => r.Seconds), 3);
        if (memoryOfFirst && !ReferenceEquals(best, runs[0]))
        {
            var first = runs[0];
            best.PeakRssBytes = first.PeakRssBytes;
            best.PeakRssScenarioOnly = first.PeakRssScenarioOnly;
            best.PeakManagedBytes = first.PeakManagedBytes;
            foreach (var key in MemoryExtras)
            {
                if (first.Extra.TryGetValue(key, out var value))
                {
                    best.Extra[key] = value;
                }
            }
        }

        return best;
    }
}
