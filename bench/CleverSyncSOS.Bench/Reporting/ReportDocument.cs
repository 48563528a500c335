namespace CleverSyncSOS.Bench.Reporting;

/// <summary>bench/results/latest.json.</summary>
public sealed class ReportDocument
{
    public required string GeneratedAt { get; init; }
    public required string Mode { get; init; }
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string PostgreSql { get; init; }
    public double TotalSeconds { get; set; }

    /// <summary>/proc/loadavg when the run started and ended: other work on the machine skews every figure.</summary>
    public string? LoadAverageAtStart { get; set; }

    public string? LoadAverageAtEnd { get; set; }
    public required Ratios Ratios { get; init; }
    public required List<TargetCheck> Targets { get; init; }
    public required List<ScenarioRow> Scenarios { get; init; }
    public required List<string> Notes { get; init; }
}

public sealed record MachineInfo(int ProcessorCount, double MemoryGiB, string Os, string Runtime);

/// <summary>
/// The headline ratios (SQLite unless named otherwise). vsNaive = ours / naive EF Core (records/s, same school);
/// vsRawCeiling = ours / min(raw fetch, raw write); memory1Mvs100k = peak RSS of the large school's sync / the
/// small one's; incrementalSpeedup = full sync time / no-change incremental time; rateLimitEfficiency =
/// achieved records/s / what the rate limit allows. Null when the scenario did not run.
/// </summary>
public sealed class Ratios
{
    public double? VsNaive { get; set; }
    public double? VsRawCeiling { get; set; }
    public double? Memory1Mvs100k { get; set; }
    public double? IncrementalSpeedup { get; set; }
    public double? RateLimitEfficiency { get; set; }
    public long? IncrementalNoChangeWrites { get; set; }
    public PostgreSqlRatios PostgreSql { get; init; } = new();

    /// <summary>Ratios without a target, for context.</summary>
    public Dictionary<string, double> Info { get; init; } = [];
}

public sealed class PostgreSqlRatios
{
    public double? VsNaive { get; set; }
    public double? VsRawCeiling { get; set; }

    /// <summary>Ours / min(raw fetch, binary COPY, merged or straight into the empty table): against the fastest way PostgreSQL can take the rows.</summary>
    public double? VsCopyCeiling { get; set; }
}

public sealed record TargetCheck(string Name, double? Value, string Shown, string Target, bool? Met, string Detail);

/// <summary>One measured operation, with its raw figures.</summary>
public sealed class ScenarioRow
{
    public required string Scenario { get; init; }
    public required string Database { get; init; }
    public int Students { get; init; }
    public required string Status { get; init; }
    public long? Records { get; init; }
    public double? Seconds { get; init; }
    public double? RecordsPerSecond { get; init; }
    public double? PeakRssMiB { get; init; }
    public bool? PeakRssScenarioOnly { get; init; }
    public double? PeakManagedMiB { get; init; }
    public int? Requests { get; init; }
    public long? Written { get; init; }
    public string? SyncType { get; init; }
    public string? Note { get; init; }
    public Dictionary<string, double>? Extra { get; init; }
}
