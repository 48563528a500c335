using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleverSyncSOS.Bench.Harness;
using CleverSyncSOS.Bench.Reporting;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Bench.Orchestration;

/// <summary>
/// The parent process of a run. It hosts every simulator (they hold the whole roster in memory) and starts one
/// worker process per measured workload, so a worker's peak memory is that of the sync (or baseline) alone and
/// each workload starts from a fresh runtime; the worker warms the JIT up itself before measuring. The parent
/// and its workers share the machine's cores, as the service and Clever's network would not; every figure,
/// ours and the baselines alike, is measured under that same arrangement.
/// </summary>
internal sealed partial class BenchRunner(BenchProfile profile, string resultsDirectory, string command, TextWriter log, IReadOnlySet<string>? only = null)
{
    private static readonly TimeSpan WorkerTimeout = TimeSpan.FromMinutes(20);
    private readonly RunResults _results = new();
    private readonly string _runId = Guid.NewGuid().ToString("N")[..6];
    private string _runDirectory = "";
    private string? _postgres;
    private string _postgresStatus = "";
    private string _warmUpUrl = "";
    private int _workers;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var loadAtStart = LoadAverage();
        _runDirectory = Path.Combine(Path.GetTempPath(), $"cleversync-bench-{_runId}");
        Directory.CreateDirectory(_runDirectory);
        await ResolvePostgresAsync(cancellationToken);
        log.WriteLine($"CleverSyncSOS benchmark ({profile.Name} run {_runId}); PostgreSQL: {_postgresStatus}; load average {loadAtStart}");
        try
        {
            await using (var warmUp = await StartSimulatorAsync(1, profile.WarmUpStudents))
            {
                _warmUpUrl = warmUp.BaseUrl.ToString();
                foreach (var size in profile.FullSizes)
                {
                    await RunSchoolSizeAsync(size, cancellationToken);
                }

                await RunClassesAsync(cancellationToken);
                await RunDistrictAsync(cancellationToken);
                await RunRateLimitedAsync(cancellationToken);
                await RunDistrictEventsAsync(cancellationToken);
            }
        }
        finally
        {
            if (_postgres is not null)
            {
                await PostgresDatabases.DropAsync(_postgres, RunPrefix, CancellationToken.None);
            }

            try
            {
                Directory.Delete(_runDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Temporary files only.
            }
        }

        var document = new ReportBuilder(profile, _results, command, _postgresStatus).Build();
        document.TotalSeconds = watch.Elapsed.TotalSeconds;
        document.LoadAverageAtStart = loadAtStart;
        document.LoadAverageAtEnd = LoadAverage();
        var markdown = MarkdownReport.Render(document);
        log.WriteLine();
        log.WriteLine(markdown);

        Directory.CreateDirectory(resultsDirectory);
        await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "latest.json"), JsonSerializer.Serialize(document, BenchJson.Default.ReportDocument), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "latest.md"), markdown, CancellationToken.None);
        log.WriteLine($"Wrote {Path.Combine(resultsDirectory, "latest.md")} and latest.json ({watch.Elapsed.TotalMinutes:F1} min).");
        return _results.AnyFailed ? 1 : 0;
    }

    private static string? LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return null;
        }
    }

    private string RunPrefix => $"csb_{_runId}_";

    /// <summary>One simulator with a school of this size; every workload that reads such a school runs against it.</summary>
    private async Task RunSchoolSizeAsync(int size, CancellationToken cancellationToken)
    {
        var incremental = size == profile.IncrementalSize;
        var compare = size == profile.CompareSize;
        // Full syncs and their baselines are each the best of this many runs (the 1 M school's take 10 to 20 s, so two).
        // Five, not three: a full sync keeps both cores busy (reader, writer, and the simulator in this process), so on a
        // virtual machine whose CPU comes and goes its runs spread wider than a baseline's single thread does.
        var runs = size <= profile.CompareSize ? 5 : 2;
        log.WriteLine($"== School of {size:N0} students + {size / 20:N0} teachers");
        await using var simulator = await StartSimulatorAsync(incremental ? 2 : 1, size);
        var school = simulator.Districts[0].Schools[0].Id;
        if (incremental)
        {
            // One event before the first full sync (on a user of the other school), so that sync stores a non-empty
            // cursor and the next ones are incremental through the Events API rather than full comparisons.
            var other = simulator.Districts[0].Schools[1].Id;
            simulator.Store.UpdateUser(simulator.Store.GetUserIds(other, "teacher")[0], new JsonObject { ["name"] = new JsonObject { ["middle"] = "Bench" } });
        }

        if (compare || profile.ExtraRawSizes.Contains(size))
        {
            await RunAsync("rawfetch", "-", size, simulator, school, cancellationToken, r => r with { Runs = runs });
            // 500 rows per statement shows why the service writes SQLite one row per statement (binding is by name, so a
            // statement of n parameters costs O(n²)); it is slow, so only at the compare size.
            await RunAsync("rawwrite", "Sqlite", size, simulator, school, cancellationToken,
                request => request with
                {
                    RawRowsPerStatement = compare ? [1, 50, 500] : [1, 50],
                    EngineWriterBatchSizes = compare ? [500] : [],
                    Runs = runs,
                });
        }

        if (compare)
        {
            // Each provider's workloads one after the other, so a ratio's sides are measured minutes apart at most; the
            // fetch-then-write baseline is measured inside the full sync's worker, in turn with its runs (PairedBaselines),
            // with the writer's batch size that is its best in the rawwrite rows (what a full read hands it).
            // The naive baseline takes 10 to 40 s, so a passing hiccup is a small share of it: the better of two runs.
            await RunAsync("naive", "Sqlite", size, simulator, school, cancellationToken, r => r with { Runs = 2 });
            await RunAsync("full", "Sqlite", size, simulator, school, cancellationToken, r => r with { ChangeLog = false, Runs = runs }, label: "full-nolog");
            await RunAsync("full", "Sqlite", size, simulator, school, cancellationToken,
                request => request with { Incremental = incremental, Runs = runs, PairedWriterBatchSize = 500 });
            // A prepared 1-row upsert on PostgreSQL is one round trip per row; multi-row statements and COPY are its raw limits.
            // The service's writer at 5 000 rows a batch (what a full read hands it on PostgreSQL) takes its COPY path.
            // The incremental syncs above changed a hundredth of the school's users, which leaves it a few hundred records
            // smaller: everything below reads the school as they left it, and the ratios compare records per second.
            await RunAsync("rawwrite", "PostgreSql", size, simulator, school, cancellationToken,
                request => request with { RawRowsPerStatement = [100, 500], RawCopy = true, EngineWriterBatchSizes = [500, 5_000], Runs = runs });
            await RunAsync("naive", "PostgreSql", size, simulator, school, cancellationToken, r => r with { Runs = 2 });
            await RunAsync("full", "PostgreSql", size, simulator, school, cancellationToken, r => r with { Runs = runs, PairedWriterBatchSize = 5_000 });
            // The change log's cost on a first full sync (the runs above have it on, the production default).
            await RunAsync("full", "PostgreSql", size, simulator, school, cancellationToken, r => r with { ChangeLog = false, Runs = runs }, label: "full-nolog");
            return;
        }

        if (profile.ExtraRawSizes.Contains(size))
        {
            // PostgreSQL at the large size: its ceiling is the COPY path; no incremental part, so it may run before SQLite's.
            await RunAsync("rawwrite", "PostgreSql", size, simulator, school, cancellationToken,
                request => request with { RawRowsPerStatement = [], RawCopy = true, EngineWriterBatchSizes = [], Runs = runs });
            await RunAsync("full", "PostgreSql", size, simulator, school, cancellationToken, r => r with { Runs = runs });
        }

        // Last: its incremental part changes the school.
        await RunAsync("full", "Sqlite", size, simulator, school, cancellationToken, request => request with { Incremental = incremental, Runs = runs });
    }

    /// <summary>
    /// A school with sections and enrollments, fully synced without the change log and then with it (each into
    /// fresh databases): the throughput with classes, and what the change log costs as a ratio.
    /// </summary>
    private async Task RunClassesAsync(CancellationToken cancellationToken)
    {
        if (only is not null && !only.Contains("classes"))
        {
            return;
        }

        var size = profile.ClassesStudents;
        log.WriteLine($"== Classes: {size:N0} students, {profile.ClassesSections:N0} sections, {profile.ClassesSectionsPerStudent} sections a student");
        await using var simulator = await CleverSimulator.StartAsync(new SimulatorOptions
        {
            Seed = 20261127,
            Districts = 1,
            SchoolsPerDistrict = 1,
            StudentsPerSchool = size,
            TeachersPerSchool = size / 20,
            SectionsPerSchool = profile.ClassesSections,
            SectionsPerStudent = profile.ClassesSectionsPerStudent,
            RateLimitPerMinute = 1_000_000_000,
        });
        var school = simulator.Districts[0].Schools[0].Id;
        foreach (var provider in new[] { "Sqlite", "PostgreSql" })
        {
            await RunAsync("full", provider, size, simulator, school, cancellationToken, r => r with { SyncSections = true, ChangeLog = false }, label: "classes");
            await RunAsync("full", provider, size, simulator, school, cancellationToken, r => r with { SyncSections = true, ChangeLog = true }, label: "classes-changelog");
        }
    }

    private async Task RunDistrictAsync(CancellationToken cancellationToken)
    {
        if (only is not null && !only.Contains("district"))
        {
            return;
        }

        log.WriteLine($"== District of {profile.DistrictSchools} schools × {profile.DistrictStudents:N0} students");
        await using var simulator = await StartSimulatorAsync(profile.DistrictSchools, profile.DistrictStudents);
        await RunAsync("district", "Sqlite", profile.DistrictStudents, simulator, null, cancellationToken);
    }

    private async Task RunRateLimitedAsync(CancellationToken cancellationToken)
    {
        if (only is not null && !only.Contains("ratelimit"))
        {
            return;
        }

        log.WriteLine($"== Rate-limited: {profile.RateLimitPerWindow:N0} requests per {profile.RateLimitWindowSeconds} s, {profile.LatencyMilliseconds} ms per request");
        await using var simulator = await StartSimulatorAsync(1, profile.RateLimitStudents, profile.RateLimitPerWindow, profile.RateLimitWindowSeconds);
        await RunAsync("ratelimit", "Sqlite", profile.RateLimitStudents, simulator, simulator.Districts[0].Schools[0].Id, cancellationToken, request => request with
        {
            LatencyMilliseconds = profile.LatencyMilliseconds,
            RateLimitPerWindow = profile.RateLimitPerWindow,
            RateLimitWindowSeconds = profile.RateLimitWindowSeconds,
            RateLimitPageSizes = [.. profile.RateLimitPageSizes],
        });
    }

    private async Task RunAsync(string scenario, string provider, int size, CleverSimulator simulator, string? school, CancellationToken cancellationToken,
        Func<WorkerRequest, WorkerRequest>? adjust = null, string? label = null)
    {
        var key = RunResults.Key(label ?? scenario, provider, size);
        var postgres = provider == "PostgreSql";
        if (only is not null && !only.Contains(scenario) && !only.Contains($"{scenario}/{provider}") && (label is null || !only.Any(label.StartsWith)))
        {
            _results.Skip(key, "not selected (--only)");
            return;
        }

        if (postgres && _postgres is null)
        {
            _results.Skip(key, _postgresStatus);
            log.WriteLine($"-- {scenario} {provider} {size:N0}: {_postgresStatus}");
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var n = Interlocked.Increment(ref _workers);
        var request = new WorkerRequest
        {
            Scenario = scenario,
            Size = size,
            SimulatorUrl = simulator.BaseUrl.ToString(),
            SchoolId = school,
            WarmUpSimulatorUrl = _warmUpUrl,
            WarmUpRecords = profile.WarmUpRecords,
            WarmUpSyncs = profile.WarmUpSyncs,
            Provider = provider == "-" ? "Sqlite" : provider,
            PostgresServer = postgres ? _postgres : null,
            PostgresPrefix = postgres ? $"{RunPrefix}w{n}_" : null,
            WorkDirectory = Path.Combine(_runDirectory, $"w{n}"),
        };
        request = adjust?.Invoke(request) ?? request;
        log.WriteLine($"-- {label ?? scenario} {provider} {size:N0}");
        var result = await WorkerProcess.RunAsync(request, _runDirectory, log, WorkerTimeout, cancellationToken);
        if (result.Error is { } error)
        {
            log.WriteLine($"   FAILED: {error}");
        }

        _results.Add(key, result);
    }

    private static Task<CleverSimulator> StartSimulatorAsync(int schools, int students, int? limitPerWindow = null, int windowSeconds = 60) =>
        CleverSimulator.StartAsync(new SimulatorOptions
        {
            Seed = 20261127,
            Districts = 1,
            SchoolsPerDistrict = schools,
            StudentsPerSchool = students,
            TeachersPerSchool = students / 20,
            EventsEnabled = true,
            InitialEvents = false,
            // Unlimited unless the scenario is about the limit: all workers share the district's one token.
            RateLimitPerMinute = limitPerWindow ?? 1_000_000_000,
            RateLimitWindowSeconds = windowSeconds,
        }.Kinder()); // Clever's documented behaviour (rate-limit headers, filters kept in links): figures stay comparable

    private async Task ResolvePostgresAsync(CancellationToken cancellationToken)
    {
        if (PostgresDatabases.Server is not { } server)
        {
            _postgresStatus = $"skipped ({PostgresDatabases.Variable} is not set)";
            return;
        }

        if (await PostgresDatabases.ProbeAsync(server, cancellationToken) is { } problem)
        {
            // Named but unreachable is an error, not a skip: the PostgreSQL rows then fail.
            _postgresStatus = $"unreachable: {problem}";
            throw new InvalidOperationException($"{PostgresDatabases.Variable} names a PostgreSQL server that does not answer: {problem}");
        }

        _postgres = server;
        _postgresStatus = "used";
    }
}
