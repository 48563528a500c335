namespace CleverSyncSOS.Bench.Orchestration;

/// <summary>Sizes of one run. Schools always get 5 % teachers on top of their students.</summary>
public sealed record BenchProfile
{
    public required string Name { get; init; }

    /// <summary>The warm-up simulator's one school, synced repeatedly by each engine worker before it measures.</summary>
    public required int WarmUpStudents { get; init; }

    /// <summary>Records each worker's warm-up processes at least (the baselines' warm-ups are sized from it).</summary>
    public required long WarmUpRecords { get; init; }

    /// <summary>
    /// Syncs each engine worker's warm-up runs at least, each in a new harness as the measured ones are. With tiered
    /// PGO a method is compiled with instrumentation after 30 calls and optimized after 30 more, so what runs once a
    /// sync or once a harness (history rows, the migration check, an HTTP handler chain) needs some 60 syncs; with 40,
    /// measured syncs still had that code compiled on the background thread (measured: 0.1-0.2 s of CPU a sync).
    /// </summary>
    public required int WarmUpSyncs { get; init; }

    /// <summary>One school of each size, full sync into SQLite.</summary>
    public required int[] FullSizes { get; init; }

    /// <summary>The school whose incremental syncs are measured (after its full sync), and which the memory ratio divides by.</summary>
    public required int IncrementalSize { get; init; }

    /// <summary>The size at which ours, the naive baseline, the raw limits and PostgreSQL are compared.</summary>
    public required int CompareSize { get; init; }

    /// <summary>The sizes the memory ratio compares (large / small).</summary>
    public required int MemoryLargeSize { get; init; }

    public required int MemorySmallSize { get; init; }

    /// <summary>Raw fetch and raw SQLite write are also measured at these sizes (CompareSize always).</summary>
    public required int[] ExtraRawSizes { get; init; }

    public required int DistrictSchools { get; init; }
    public required int DistrictStudents { get; init; }

    public required int RateLimitStudents { get; init; }

    /// <summary>The first is the headline figure; the others show how the page size changes it.</summary>
    public required int[] RateLimitPageSizes { get; init; }

    public required int RateLimitPerWindow { get; init; }
    public required int RateLimitWindowSeconds { get; init; }
    public required int LatencyMilliseconds { get; init; }

    /// <summary>The classes scenario: a school with sections and enrollments (students × sections per student), synced with and without the change log.</summary>
    public required int ClassesStudents { get; init; }

    public required int ClassesSections { get; init; }
    public required int ClassesSectionsPerStudent { get; init; }

    public static BenchProfile Full { get; } = new()
    {
        Name = "full",
        WarmUpStudents = 15_000,
        WarmUpRecords = 1_000_000,
        WarmUpSyncs = 70,
        FullSizes = [10_000, 100_000, 1_000_000],
        IncrementalSize = 100_000,
        CompareSize = 100_000,
        MemoryLargeSize = 1_000_000,
        MemorySmallSize = 100_000,
        ExtraRawSizes = [1_000_000],
        DistrictSchools = 50,
        DistrictStudents = 2_000,
        // 150 000 + 7 500 records at 100 a page: ~1 580 requests, about 80 s at 20 requests/s, so the run crosses
        // a window boundary and meets the client's slow-down near the end of the first window.
        RateLimitStudents = 150_000,
        RateLimitPageSizes = [100, 1_000, 10_000],
        RateLimitPerWindow = 1_200,
        RateLimitWindowSeconds = 60,
        LatencyMilliseconds = 50,
        ClassesStudents = 100_000,
        ClassesSections = 4_000,
        ClassesSectionsPerStudent = 6,
    };

    /// <summary>Small sizes, a 5 s rate-limit window with a proportional limit (100 per 5 s = 1 200 a minute).</summary>
    public static BenchProfile Quick { get; } = new()
    {
        Name = "quick",
        WarmUpStudents = 5_000,
        WarmUpRecords = 5_000,
        WarmUpSyncs = 1,
        FullSizes = [2_000, 10_000],
        IncrementalSize = 10_000,
        CompareSize = 2_000,
        MemoryLargeSize = 10_000,
        MemorySmallSize = 2_000,
        ExtraRawSizes = [],
        DistrictSchools = 10,
        DistrictStudents = 500,
        RateLimitStudents = 2_000,
        RateLimitPageSizes = [20, 200],
        RateLimitPerWindow = 100,
        RateLimitWindowSeconds = 5,
        LatencyMilliseconds = 50,
        ClassesStudents = 5_000,
        ClassesSections = 200,
        ClassesSectionsPerStudent = 6,
    };
}
