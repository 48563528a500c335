using System.Globalization;
using System.Runtime.InteropServices;
using CleverSyncSOS.Bench.Orchestration;
using CleverSyncSOS.Bench.Workers;

namespace CleverSyncSOS.Bench.Reporting;

/// <summary>Turns a run's measurements into the rows, the ratios and the target checks.</summary>
internal sealed partial class ReportBuilder(BenchProfile profile, RunResults results, string command, string postgresStatus)
{
    private const string Sqlite = "Sqlite";
    private const string Postgres = "PostgreSql";

    public ReportDocument Build()
    {
        var ratios = new Ratios();
        var targets = new List<TargetCheck>();
        var notes = new List<string>();
        var cmp = profile.CompareSize;
        var sizeLabel = Size(cmp);

        // Ours against the naive EF Core baseline and the raw ceiling, per provider, on the same school.
        var oursSqlite = Get("full", Sqlite, cmp, "full");
        var oursPostgres = Get("full", Postgres, cmp, "full");
        var rawFetch = Get("rawfetch", "-", cmp, "raw-fetch");
        var rawSqlite = BestPrepared(Sqlite, cmp);
        var rawPostgres = BestPrepared(Postgres, cmp);
        var copyPostgres = BestCopy(cmp);

        ratios.VsNaive = Divide(oursSqlite?.RecordsPerSecond, Get("naive", Sqlite, cmp, "naive")?.RecordsPerSecond);
        targets.Add(AtLeast($"Full sync vs naive EF Core, SQLite ({sizeLabel})", ratios.VsNaive, 15, Times,
            Why(K("full", Sqlite), K("naive", Sqlite)) ?? RateDetail(oursSqlite, Get("naive", Sqlite, cmp, "naive"))));
        ratios.PostgreSql.VsNaive = Divide(oursPostgres?.RecordsPerSecond, Get("naive", Postgres, cmp, "naive")?.RecordsPerSecond);
        targets.Add(AtLeast($"Full sync vs naive EF Core, PostgreSQL ({sizeLabel})", ratios.PostgreSql.VsNaive, 15, Times,
            Why(K("full", Postgres), K("naive", Postgres)) ?? RateDetail(oursPostgres, Get("naive", Postgres, cmp, "naive"))));

        // The raw ceiling: min(raw fetch, raw write); PostgreSQL's raw write is the best of prepared statements and binary COPY
        // (into a stage and merged, or straight into the empty table).
        // At the compare size the fetch side is the raw fetch measured in turn with the sync's runs, in its worker, when there is one.
        foreach (var size in new[] { cmp }.Concat(profile.ExtraRawSizes))
        {
            var fetch = Get("rawfetch", "-", size, "raw-fetch");
            var sqlite = Get("full", Sqlite, size, "full");
            var sqliteWrite = BestPrepared(Sqlite, size);
            var sqliteFetch = PairedFetch(Sqlite, size) ?? fetch;
            var sqliteRatio = Divide(sqlite?.RecordsPerSecond, Min(sqliteFetch?.RecordsPerSecond, sqliteWrite?.RecordsPerSecond));
            targets.Add(AtLeast($"Full sync vs min(raw fetch, raw write), SQLite ({Size(size)})", sqliteRatio, 0.6, Percent,
                Why(K("full", Sqlite, size), K("rawfetch", "-", size), K("rawwrite", Sqlite, size)) ?? CeilingDetail(sqlite, sqliteFetch, sqliteWrite)));
            var postgres = Get("full", Postgres, size, "full");
            var postgresWrite = new[] { BestPrepared(Postgres, size), BestCopy(size) }.OfType<Measurement>().MaxBy(m => m.RecordsPerSecond);
            var postgresFetch = PairedFetch(Postgres, size) ?? fetch;
            var postgresRatio = Divide(postgres?.RecordsPerSecond, Min(postgresFetch?.RecordsPerSecond, postgresWrite?.RecordsPerSecond));
            targets.Add(AtLeast($"Full sync vs min(raw fetch, raw write incl. COPY), PostgreSQL ({Size(size)})", postgresRatio, 0.6, Percent,
                Why(K("full", Postgres, size), K("rawfetch", "-", size), K("rawwrite", Postgres, size)) ?? CeilingDetail(postgres, postgresFetch, postgresWrite)));
            if (size == cmp)
            {
                ratios.VsRawCeiling = sqliteRatio;
                ratios.PostgreSql.VsRawCeiling = postgresRatio;
            }
            else
            {
                Info(ratios, $"vsRawCeilingSqlite{Size(size)}", sqliteRatio);
                Info(ratios, $"vsRawCeilingPostgreSql{Size(size)}", postgresRatio);
            }
        }

        // Fetch-then-write: read everything, then write it with the service's own writer; its rate is 1 / (1/fetch + 1/write).
        // Both measured in turn with the sync's runs in its worker when they were (PairedBaselines), else the best writer of
        // the rawwrite worker and the rawfetch worker's fetch.
        foreach (var (provider, ours, name) in new[] { (Sqlite, oursSqlite, "SQLite"), (Postgres, oursPostgres, "PostgreSQL") })
        {
            var paired = PairedWriters(provider).FirstOrDefault();
            var writer = paired ?? results.All(RunResults.Key("rawwrite", provider, cmp)).Where(m => m.Name.StartsWith("engine-writer", StringComparison.Ordinal)).MaxBy(m => m.RecordsPerSecond);
            var fetch = paired is null ? rawFetch : PairedFetch(provider, cmp);
            var serial = fetch is null || writer is null ? (double?)null : 1 / (1 / fetch.RecordsPerSecond + 1 / writer.RecordsPerSecond);
            var ratio = Divide(ours?.RecordsPerSecond, serial);
            Info(ratios, $"vsFetchThenWrite{provider}", ratio);
            targets.Add(AtLeast($"Full sync vs fetch-then-write (own writer), {name} ({sizeLabel})", ratio, 1.3, Times,
                Why(K("full", provider), K("rawfetch", "-"), K("rawwrite", provider)) ??
                $"{ours?.RecordsPerSecond:N0} vs {serial:N0} records/s (fetch {fetch?.RecordsPerSecond:N0}/s, then {writer?.Name} {writer?.RecordsPerSecond:N0}/s)"));
        }

        ratios.PostgreSql.VsCopyCeiling = Divide(oursPostgres?.RecordsPerSecond, Min(rawFetch?.RecordsPerSecond, copyPostgres?.RecordsPerSecond));

        // The change log's cost on a first full sync: time with it (the production default) / time without.
        foreach (var (provider, name) in new[] { (Sqlite, "SQLite"), (Postgres, "PostgreSQL") })
        {
            var without = Get("full-nolog", provider, cmp, "full");
            var with = provider == Sqlite ? oursSqlite : oursPostgres;
            var cost = Divide(with?.Seconds, without?.Seconds);
            Info(ratios, $"changeLogCostFullSync{provider}", cost);
            targets.Add(new TargetCheck($"Change-log cost, first full sync, {name} ({sizeLabel}): time with / without", cost, cost is { } c ? Times(c) : "–",
                "reported", null, Why(K("full-nolog", provider), K("full", provider)) ??
                $"{with?.RecordsPerSecond:N0} vs {without?.RecordsPerSecond:N0} records/s; the targets above are measured with the change log on"));
        }

        // Memory: the large school's sync against the small one's, each in its own process.
        var large = Get("full", Sqlite, profile.MemoryLargeSize, "full");
        var small = Get("full", Sqlite, profile.MemorySmallSize, "full");
        ratios.Memory1Mvs100k = Divide(large?.PeakRssBytes, small?.PeakRssBytes);
        targets.Add(AtMost($"Peak memory, {Size(profile.MemoryLargeSize)} / {Size(profile.MemorySmallSize)} school", ratios.Memory1Mvs100k, 1.5, Times,
            Why(K("full", Sqlite, profile.MemoryLargeSize), K("full", Sqlite, profile.MemorySmallSize))
            ?? $"{Mib(large?.PeakRssBytes)} vs {Mib(small?.PeakRssBytes)} peak RSS (managed heap {Mib(large?.PeakManagedBytes)} vs {Mib(small?.PeakManagedBytes)})"));
        if (Divide(large?.PeakManagedBytes, small?.PeakManagedBytes) is { } managedRatio)
        {
            ratios.Info["managedHeap1Mvs100k"] = managedRatio;
        }

        // Incremental: the same school after its full sync.
        var inc = profile.IncrementalSize;
        var full = Get("full", Sqlite, inc, "full");
        var none = Get("full", Sqlite, inc, "incremental-0");
        var changed = Get("full", Sqlite, inc, "incremental-changed");
        ratios.IncrementalNoChangeWrites = none?.Written;
        targets.Add(new TargetCheck($"Incremental, no change: records written ({Size(inc)})", none?.Written, none?.Written?.ToString(CultureInfo.InvariantCulture) ?? "–",
            "= 0", none?.Written is { } w ? w == 0 : null,
            Why(K("full", Sqlite, inc)) ?? (none is null ? "" : $"{none.SyncType} sync, {none.Requests} requests, {none.Seconds * 1000:F0} ms")));
        ratios.IncrementalSpeedup = Divide(full?.Seconds, none?.Seconds);
        targets.Add(AtLeast($"Incremental, no change: speedup vs full sync ({Size(inc)})", ratios.IncrementalSpeedup, 5, Times,
            Why(K("full", Sqlite, inc)) ?? (full is null || none is null ? "" : $"{full.Seconds:F2} s vs {none.Seconds:F3} s")));
        if (Divide(full?.Seconds, changed?.Seconds) is { } changedSpeedup)
        {
            ratios.Info["incrementalChangedSpeedup"] = changedSpeedup;
        }

        // Rate-limited realism.
        var rate = Get("ratelimit", Sqlite, profile.RateLimitStudents, $"rate-limited-page{profile.RateLimitPageSizes[0]}");
        ratios.RateLimitEfficiency = rate?.Extra.GetValueOrDefault("efficiency");
        targets.Add(AtLeast($"Rate-limited ({profile.RateLimitPerWindow:N0}/{profile.RateLimitWindowSeconds} s, {profile.LatencyMilliseconds} ms, page {profile.RateLimitPageSizes[0]}): achieved / allowed",
            ratios.RateLimitEfficiency, 0.9, Percent,
            Why(K("ratelimit", Sqlite, profile.RateLimitStudents)) ?? (rate is null ? "" :
                $"{rate.RecordsPerSecond:N0} of {rate.Extra["ceilingRecordsPerSecond"]:N0} records/s; {rate.Extra["requestsPerSecond"]:F1} requests/s; {rate.Extra["tooManyRequests"]:N0} × 429")));
        foreach (var page in profile.RateLimitPageSizes.Skip(1))
        {
            if (Get("ratelimit", Sqlite, profile.RateLimitStudents, $"rate-limited-page{page}")?.Extra.GetValueOrDefault("efficiency") is { } e)
            {
                ratios.Info[$"rateLimitEfficiencyPage{page}"] = e;
            }
        }

        if (Divide(Get("district", Sqlite, profile.DistrictStudents, "district")?.RecordsPerSecond, oursSqlite?.RecordsPerSecond) is { } district)
        {
            ratios.Info["districtVsSingleSchoolRate"] = district;
        }

        foreach (var provider in new[] { Sqlite, Postgres })
        {
            var without = Get("classes", provider, profile.ClassesStudents, "full");
            var with = Get("classes-changelog", provider, profile.ClassesStudents, "full");
            var suffix = provider == Sqlite ? "" : "PostgreSql";
            if (without?.RecordsPerSecond is { } plain)
            {
                ratios.Info[$"classesRecordsPerSecond{suffix}"] = plain;
            }

            if (with?.RecordsPerSecond is { } logged)
            {
                ratios.Info[$"classesWithChangeLogRecordsPerSecond{suffix}"] = logged;
            }

            if (Divide(with?.Seconds, without?.Seconds) is { } cost)
            {
                ratios.Info[$"changeLogCostRatio{suffix}"] = cost;
            }
        }

        AddDistrictEventChecks(ratios, targets, notes);
        notes.Add($"Classes: a school of {profile.ClassesStudents:N0} students with {profile.ClassesSections:N0} sections, {profile.ClassesSectionsPerStudent} a student; records = students, teachers, terms, courses, sections and enrollments. changeLogCostRatio = time with the change log / time without (a first full sync, so every record is logged as created).");

        if (profile.Name == "quick")
        {
            notes.Add("Quick run: small schools and a short warm-up, to check that every scenario works; fixed costs dominate at these sizes, so judge the targets on the full run.");
        }

        notes.Add("Records = students + teachers read; records/s = records / wall time of the whole sync (plan, history rows, HTTP, writes, deletion step).");
        notes.Add($"Each workload ran in its own worker process after a JIT warm-up of that same code (at least {profile.WarmUpSyncs} syncs of a {profile.WarmUpStudents:N0}-student school and {profile.WarmUpRecords:N0} records, each in a new harness with the trace listener on, so that what runs once a sync is optimized too; not measured); the simulators ran in the parent process on the same 2 cores.");
        notes.Add("Peak RSS = the worker's VmHWM, reset just before the measured operation; it is the sync's memory only, the simulator's is not in it.");
        notes.Add("Full syncs, raw fetches, raw writes and the service's writer alone are each the best of 5 runs at the compare size and below, of 2 at 1 M (the naive baseline: of 2); every run starts in fresh databases once the JIT has finished optimizing what the set-up ran and the garbage and finalizers it left were collected. A run during which the hypervisor took more than 10 % of the machine's CPU (steal, from /proc/stat) is run again, at most as many extra times as runs asked, and counts only when no run was clean (stealShare and stolenRuns in the JSON). Workers run with the service's GC (workstation, concurrent) and its SQLite settings (synchronous=FULL). The JSON has the run count and the slowest run beside each. A full sync's peak memory is its first run's. The raw-write ceiling is the fastest prepared upsert in one transaction (SQLite: 1, 50 or 500 rows per statement, 500 only at the compare size; PostgreSQL: 100 or 500, or binary COPY, into a stage and merged or straight into the empty table, whichever is fastest: the COPY path is PostgreSQL's ceiling). Fetch-then-write = 1 / (1/raw fetch + 1/the service's own writer alone). At the compare size both are measured in the full sync's own worker, a run of each after every sync run (rows 'in turn with the full sync's runs'; the writer at the batch size a full read hands it: 500 on SQLite, 5,000 on PostgreSQL), and the raw-ceiling ratios take that raw fetch too: the two sides of a ratio come from the same minutes of the shared machine, whose speed drifted by up to a third between workers measured minutes apart. Each provider's workloads run one after the other (SQLite's naive baseline, full syncs, then PostgreSQL's raw writes, naive baseline and full syncs).");
        notes.Add("Full-sync rows run with the change log on (the production default) unless they say otherwise; phase.* in the JSON = summed seconds of the service's trace spans (page fetch and parse, roster write batches, change-log writes) during the sync.");
        notes.Add($"Rate-limited ceiling = {profile.RateLimitPerWindow:N0} requests / {profile.RateLimitWindowSeconds} s × records per page; efficiency = achieved records/s / ceiling.");

        return new ReportDocument
        {
            GeneratedAt = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            Mode = profile.Name,
            Command = command,
            Machine = new MachineInfo(Environment.ProcessorCount, Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0, 1),
                RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription),
            PostgreSql = postgresStatus,
            Ratios = ratios,
            Targets = targets,
            Scenarios = Rows(),
            Notes = notes,
        };
    }

    private List<ScenarioRow> Rows()
    {
        var rows = new List<ScenarioRow>();
        var cmp = profile.CompareSize;
        foreach (var size in profile.FullSizes)
        {
            rows.Add(Row("Full sync", Sqlite, size, "full", "full"));
        }

        foreach (var size in new[] { cmp }.Concat(profile.ExtraRawSizes))
        {
            rows.Add(Row("Full sync", Postgres, size, "full", "full"));
        }

        rows.Add(Row("Full sync, change log off", Sqlite, cmp, "full-nolog", "full"));
        rows.Add(Row("Full sync, change log off", Postgres, cmp, "full-nolog", "full"));
        rows.Add(Row("Incremental, no change", Sqlite, profile.IncrementalSize, "full", "incremental-0"));
        rows.Add(Row("Incremental, 1 % changed", Sqlite, profile.IncrementalSize, "full", "incremental-changed"));
        rows.Add(Row($"District, {profile.DistrictSchools} schools", Sqlite, profile.DistrictStudents, "district", "district"));
        rows.Add(Row("Naive EF Core", Sqlite, cmp, "naive", "naive"));
        rows.Add(Row("Naive EF Core", Postgres, cmp, "naive", "naive"));
        foreach (var provider in new[] { Sqlite, Postgres })
        {
            if (PairedFetch(provider, cmp) is not null)
            {
                rows.Add(Row("Raw fetch, in turn with the full sync's runs", provider, cmp, "full", PairedBaselines.FetchName));
                rows.AddRange(PairedWriters(provider).Select(m =>
                    Row($"Service's own writer alone, in turn with the full sync's runs, batch {m.Name[PairedBaselines.WriterPrefix.Length..]}", provider, cmp, "full", m.Name)));
            }
        }

        foreach (var size in new[] { cmp }.Concat(profile.ExtraRawSizes))
        {
            rows.Add(Row("Raw fetch (HTTP + JSON, no writes)", "-", size, "rawfetch", "raw-fetch"));
            rows.AddRange(RawWriteRows(Sqlite, size));
        }

        foreach (var size in new[] { cmp }.Concat(profile.ExtraRawSizes))
        {
            rows.AddRange(RawWriteRows(Postgres, size));
        }
        foreach (var page in profile.RateLimitPageSizes)
        {
            rows.Add(Row($"Rate-limited, page {page:N0}", Sqlite, profile.RateLimitStudents, "ratelimit", $"rate-limited-page{page}"));
        }

        rows.AddRange(DistrictEventRows());

        return rows;
    }

    private IEnumerable<ScenarioRow> RawWriteRows(string provider, int size)
    {
        var measured = results.All(RunResults.Key("rawwrite", provider, size));
        if (measured.Count == 0)
        {
            return [Row("Raw write", provider, size, "rawwrite", "-")];
        }

        return measured.Select(m => Row(
            m.Name == "raw-write-copy" ? "Raw write, binary COPY + merge"
            : m.Name == "raw-write-copy-into" ? "Raw write, binary COPY into the empty table"
            : m.Name.StartsWith("engine-writer", StringComparison.Ordinal) ? $"Service's own writer alone (no HTTP), batch {m.Name["engine-writer-batch".Length..]}"
            : $"Raw write, prepared {m.Extra.GetValueOrDefault("rowsPerStatement"):N0}-row upsert", provider, size, "rawwrite", m.Name));
    }

    /// <summary>The raw fetch measured in turn with the full sync's runs in its worker (<see cref="PairedBaselines"/>), if it was.</summary>
    private Measurement? PairedFetch(string provider, int size) => Get("full", provider, size, PairedBaselines.FetchName);

    /// <summary>The service's writer alone measured in turn with the full sync's runs at the compare size, if it was.</summary>
    private IEnumerable<Measurement> PairedWriters(string provider) =>
        results.All(K("full", provider)).Where(m => m.Name.StartsWith(PairedBaselines.WriterPrefix, StringComparison.Ordinal));

    private Measurement? BestCopy(int size) =>
        new[] { Get("rawwrite", Postgres, size, "raw-write-copy"), Get("rawwrite", Postgres, size, "raw-write-copy-into") }.OfType<Measurement>()
            .MaxBy(m => m.RecordsPerSecond);

    private Measurement? BestPrepared(string provider, int size) =>
        results.All(RunResults.Key("rawwrite", provider, size)).Where(m => m.Name.StartsWith("raw-write-rows", StringComparison.Ordinal))
            .MaxBy(m => m.RecordsPerSecond);

    private ScenarioRow Row(string scenario, string provider, int size, string worker, string measurement)
    {
        var database = provider switch { Sqlite => "SQLite", Postgres => "PostgreSQL", _ => "–" };
        var key = RunResults.Key(worker, provider, size);
        var m = results.Find(key, measurement);
        if (m is null)
        {
            return new ScenarioRow { Scenario = scenario, Database = database, Students = size, Status = results.Problem(key) ?? "no figure" };
        }

        return new ScenarioRow
        {
            Scenario = scenario,
            Database = database,
            Students = size,
            Status = "ok",
            Records = m.Records,
            Seconds = Math.Round(m.Seconds, 4),
            RecordsPerSecond = Math.Round(m.RecordsPerSecond),
            PeakRssMiB = m.PeakRssBytes is { } rss ? Math.Round(rss / 1048576.0, 1) : null,
            PeakRssScenarioOnly = m.PeakRssScenarioOnly,
            PeakManagedMiB = m.PeakManagedBytes is { } managed ? Math.Round(managed / 1048576.0, 1) : null,
            Requests = m.Requests,
            Written = m.Written,
            SyncType = m.SyncType,
            Note = Note(m),
            Extra = m.Extra.Count > 0 ? m.Extra : null,
        };
    }

    private static string? Note(Measurement m) => m.Name switch
    {
        _ when m.Name.StartsWith("rate-limited", StringComparison.Ordinal) =>
            $"{m.Extra["efficiency"]:P1} of {m.Extra["ceilingRecordsPerSecond"]:N0}/s allowed; {m.Extra["requestsPerSecond"]:F1} req/s; {m.Extra["tooManyRequests"]:N0}× 429",
        "district" => $"{m.Extra["schools"]:N0} schools, {m.Extra["maxParallelSchools"]:N0} in parallel",
        "incremental-changed" => $"{m.Extra["usersChanged"]:N0} users changed",
        "naive" => $"SaveChanges every {m.Extra["saveEvery"]:N0}",
        _ when m.Name.StartsWith("raw-write", StringComparison.Ordinal) || m.Name.StartsWith("engine-writer", StringComparison.Ordinal)
               || m.Name.StartsWith(PairedBaselines.WriterPrefix, StringComparison.Ordinal) =>
            m.Written is { } w ? $"{w:N0} rows affected" : null,
        _ => m.SyncType,
    };

    private Measurement? Get(string worker, string provider, int size, string measurement) =>
        results.Find(RunResults.Key(worker, provider, size), measurement);

    private string K(string worker, string provider, int? size = null) => RunResults.Key(worker, provider, size ?? profile.CompareSize);

    /// <summary>Why a ratio is missing: the first of the workers (keys) that was skipped or failed.</summary>
    private string? Why(params string[] keys)
    {
        foreach (var key in keys)
        {
            if (results.Problem(key) is { } problem)
            {
                return $"{key}: {problem}";
            }
        }

        return null;
    }

    private static string RateDetail(Measurement? ours, Measurement? other) =>
        $"{ours?.RecordsPerSecond:N0} vs {other?.RecordsPerSecond:N0} records/s";

    private static string CeilingDetail(Measurement? ours, Measurement? fetch, Measurement? write) =>
        $"{ours?.RecordsPerSecond:N0} records/s; ceiling = min(raw fetch {fetch?.RecordsPerSecond:N0}/s, raw write {write?.RecordsPerSecond:N0}/s ({write?.Name}))";

    private static void Info(Ratios ratios, string name, double? value)
    {
        if (value is { } v)
        {
            ratios.Info[name] = v;
        }
    }

    private static double? Min(double? a, double? b) => a is null || b is null ? null : Math.Min(a.Value, b.Value);

    private static double? Divide(double? a, double? b) => a is null || b is null || b == 0 ? null : a / b;

    private static double? Divide(long? a, long? b) => Divide((double?)a, (double?)b);

    private static string Size(int students) => students switch
    {
        >= 1_000_000 when students % 1_000_000 == 0 => $"{students / 1_000_000}M",
        >= 1_000 when students % 1_000 == 0 => $"{students / 1_000}k",
        _ => students.ToString("N0", CultureInfo.InvariantCulture),
    };

    private static string Mib(long? bytes) => bytes is { } b ? $"{b / 1048576.0:N0} MiB" : "–";

    private static string Times(double value) => $"{value:N1}×";

    private static string Percent(double value) => $"{value:P0}";

    private static TargetCheck AtLeast(string name, double? value, double target, Func<double, string> format, string? detail)
    {
        var met = value is { } v ? v >= target : (bool?)null;
        var gap = value is { } x && x < target ? $"missed by {(target - x) / target:P0} (needs {format(target)}). " : "";
        return new TargetCheck(name, value, value is { } y ? format(y) : "–", "≥ " + format(target), met, gap + (detail ?? ""));
    }

    private static TargetCheck AtMost(string name, double? value, double target, Func<double, string> format, string? detail)
    {
        var met = value is { } v ? v <= target : (bool?)null;
        var gap = value is { } x && x > target ? $"over by {(x - target) / target:P0} (allows {format(target)}). " : "";
        return new TargetCheck(name, value, value is { } y ? format(y) : "–", "≤ " + format(target), met, gap + (detail ?? ""));
    }
}
