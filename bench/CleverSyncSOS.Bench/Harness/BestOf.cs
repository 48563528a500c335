namespace CleverSyncSOS.Bench.Harness;

/// <summary>Reports a series of runs of one operation as its fastest, with the count and the slowest beside it.</summary>
public static class BestOf
{
    private static readonly string[] MemoryExtras =
        ["rssAtStartMiB", "rssAnonAtPeakMiB", "rssFileAtPeakMiB", "rssShmemAtPeakMiB", "gcCommittedPeakMiB", "threadsPeak", "openFilesPeak"];

    /// <summary>
    /// A run during which the hypervisor took more than this share of the machine's CPU (steal time) measured the
    /// virtual machine's neighbours more than the code. On the benchmark's 2-core machine steal runs at a few percent and
    /// comes in bursts of 10–20 % lasting seconds; the sync (two busy cores) loses more to a burst than a one-thread
    /// baseline does, so ratios measured minutes apart swung by a fifth.
    /// </summary>
    public const double StolenShare = 0.10;

    /// <summary>
    /// Runs <paramref name="run"/> until <paramref name="runs"/> runs (at least one) were not stolen from, one after the
    /// other, and picks the fastest of those. A stolen run is run again, at most <paramref name="runs"/> extra times in
    /// all; when every run was stolen from, the fastest of all is picked. Every workload, baselines included, is measured
    /// this way, and the report gives each one's stolen runs beside it.
    /// </summary>
    public static async Task<Measurement> MeasureAsync(int runs, Func<Task<Measurement>> run, bool memoryOfFirst = false) =>
        (await MeasureInTurnAsync(runs, [run], memoryOfFirst))[0];

    /// <summary>
    /// <see cref="MeasureAsync"/> for several operations at once, a run of each in turn (the first, the second, …, the
    /// first again), so that each one's best comes from the same minutes of the machine as the others': a ratio of two of
    /// them does not measure how the shared virtual machine's speed drifted between two workers minutes apart. An
    /// operation with enough clean runs is not run again while another reruns a stolen one.
    /// </summary>
    public static async Task<IReadOnlyList<Measurement>> MeasureInTurnAsync(int runs, IReadOnlyList<Func<Task<Measurement>>> operations, bool memoryOfFirst = false)
    {
        runs = Math.Max(1, runs);
        var all = operations.Select(_ => new List<Measurement>()).ToArray();
        var clean = operations.Select(_ => new List<Measurement>()).ToArray();
        while (Enumerable.Range(0, operations.Count).Any(Wanted))
        {
            for (var i = 0; i < operations.Count; i++)
            {
                if (!Wanted(i))
                {
                    continue;
                }

                var measured = await operations[i]();
                all[i].Add(measured);
                if (!IsStolen(measured))
                {
                    clean[i].Add(measured);
                }
            }
        }

        return Enumerable.Range(0, operations.Count).Select(i =>
        {
            var best = Pick(clean[i].Count > 0 ? clean[i] : all[i], all[i][0], memoryOfFirst);
            best.Extra["stolenRuns"] = all[i].Count - clean[i].Count;
            return best;
        }).ToList();

        bool Wanted(int i) => clean[i].Count < runs && all[i].Count < 2 * runs;
    }

    private static bool IsStolen(Measurement m) =>
        m.Extra.TryGetValue(ProcessStats.StealShare, out var share) && share > StolenShare;

    /// <summary>
    /// The fastest run. With <paramref name="memoryOfFirst"/>, its memory figures are the first run's: that one ran in a
    /// process that had only warmed up, as every memory figure of the report did before runs were repeated, so the
    /// memory ratios do not drift with what the earlier runs left in the heap.
    /// </summary>
    private static Measurement Pick(IReadOnlyList<Measurement> runs, Measurement first, bool memoryOfFirst)
    {
        var best = runs.MaxBy(r => r.RecordsPerSecond) ?? throw new ArgumentException("No run to pick from.", nameof(runs));
        best.Extra["runs"] = runs.Count;
        best.Extra["worstRecordsPerSecond"] = Math.Round(runs.Min(r => r.RecordsPerSecond));
        best.Extra["worstSeconds"] = Math.Round(runs.Max(r => r.Seconds), 3);
        if (memoryOfFirst && !ReferenceEquals(best, first))
        {
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
