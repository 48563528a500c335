using System.Text.Json.Serialization;
using CleverSyncSOS.Clever;

namespace CleverSyncSOS.Bench;

/// <summary>What the parent asks one worker process to measure (written to a file, passed with --request).</summary>
public sealed record WorkerRequest
{
    /// <summary>full, district, naive, rawfetch, rawwrite or ratelimit.</summary>
    public required string Scenario { get; init; }

    /// <summary>Students per school of the measured simulator (teachers are 5 % on top).</summary>
    public int Size { get; init; }

    /// <summary>The simulator holding the measured school(s); it runs in the parent process.</summary>
    public required string SimulatorUrl { get; init; }

    /// <summary>The school to sync; null = every school of the district.</summary>
    public string? SchoolId { get; init; }

    /// <summary>A separate small simulator the worker syncs before measuring, so the JIT has tiered up.</summary>
    public required string WarmUpSimulatorUrl { get; init; }

    /// <summary>Records the warm-up must process (repeated syncs into throwaway databases).</summary>
    public long WarmUpRecords { get; init; }

    /// <summary>Syncs the engine workers' warm-up runs at least (each in a new harness).</summary>
    public int WarmUpSyncs { get; init; } = 1;

    public string Provider { get; init; } = "Sqlite";
    public string? PostgresServer { get; init; }

    /// <summary>Unique start of every PostgreSQL database name this worker creates (all dropped before it exits).</summary>
    public string? PostgresPrefix { get; init; }

    /// <summary>Folder for this worker's SQLite files and secrets; deleted afterwards.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Records per Clever page (the engine's default is 10 000).</summary>
    public int PageSize { get; init; } = 10_000;

    /// <summary>full only: after the full sync, run the incremental syncs (no change, then ChangeShare changed).</summary>
    public bool Incremental { get; init; }

    public double ChangeShare { get; init; } = 0.01;

    /// <summary>ratelimit only: latency added per data request while measuring, and the simulator's limit.</summary>
    public int LatencyMilliseconds { get; init; }

    public int RateLimitPerWindow { get; init; }
    public int RateLimitWindowSeconds { get; init; }

    /// <summary>ratelimit only: one measured sync per page size, the first being the headline figure.</summary>
    public List<int> RateLimitPageSizes { get; init; } = [];

    /// <summary>rawwrite only: the prepared upserts to time (rows per statement), and whether to time PostgreSQL's COPY + merge.</summary>
    public List<int> RawRowsPerStatement { get; init; } = [1];

    public bool RawCopy { get; init; }

    /// <summary>rawwrite only: also time the service's own writer (RosterTableWriter) on the same rows, no HTTP, at these batch sizes.</summary>
    public List<int> EngineWriterBatchSizes { get; init; } = [];

    /// <summary>Also sync sections, courses, terms and enrollments (the classes scenario); off elsewhere, so those figures stay students and teachers.</summary>
    public bool SyncSections { get; init; }

    /// <summary>
    /// full only: measure the sync's baselines (raw fetch, and the service's writer alone at this batch size) in the same
    /// worker, a run of each after every sync run, so the fetch-then-write ratio compares runs of the same minutes;
    /// 0 = not.
    /// </summary>
    public int PairedWriterBatchSize { get; init; }

    /// <summary>The change log (on in production): off to measure what it costs.</summary>
    public bool ChangeLog { get; init; } = true;

    /// <summary>
    /// full (its first full sync), naive, rawfetch and rawwrite: how many times the measured operation runs, each time
    /// into fresh databases after the same settling; the fastest is reported with the slowest beside it. Every side of
    /// a ratio is measured this way, so a passing hiccup of the shared machine (another process, a late JIT tier-up,
    /// finalizers) does not decide a verdict.
    /// </summary>
    public int Runs { get; init; } = 1;

    /// <summary>naive only: SaveChanges every this many records.</summary>
    public int NaiveSaveEvery { get; init; } = 1_000;
}

/// <summary>What a worker measured.</summary>
public sealed class WorkerResult
{
    public List<Measurement> Measurements { get; init; } = [];
    public double WarmUpSeconds { get; set; }
    public long WarmUpRecords { get; set; }
    public string? Error { get; set; }
}

/// <summary>One timed operation.</summary>
public sealed class Measurement
{
    public required string Name { get; init; }
    public double Seconds { get; set; }

    /// <summary>Records read (sync and fetch) or rows written (raw write).</summary>
    public long Records { get; set; }

    public double RecordsPerSecond => Seconds > 0 ? Records / Seconds : 0;

    /// <summary>Peak resident set of the worker process during this operation only (VmHWM reset before it).</summary>
    public long? PeakRssBytes { get; set; }

    /// <summary>False when the kernel did not let the peak be reset: then the figure is the process lifetime's.</summary>
    public bool? PeakRssScenarioOnly { get; set; }

    /// <summary>Highest managed heap size seen by a 10 ms sampler (allocated bytes not yet collected included).</summary>
    public long? PeakManagedBytes { get; set; }

    /// <summary>Data API requests the simulator received during the operation (any outcome).</summary>
    public int? Requests { get; set; }

    /// <summary>Records created + updated + deleted, from the sync results (or the naive baseline's SaveChanges).</summary>
    public long? Written { get; set; }

    public long Failed { get; set; }
    public string? SyncType { get; set; }
    public Dictionary<string, double> Extra { get; init; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkerRequest))]
[JsonSerializable(typeof(WorkerResult))]
[JsonSerializable(typeof(Reporting.ReportDocument))]
internal sealed partial class BenchJson : JsonSerializerContext;

/// <summary>
/// The bench's own source-generated context over the service's public Clever wire types, with the options the
/// service uses (camelCase, numbers as strings allowed), for the raw-fetch baseline and the micro benchmarks.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CleverApiResponse<CleverUser>))]
[JsonSerializable(typeof(CleverTokenListResponse))]
internal sealed partial class CleverPageJson : JsonSerializerContext;
