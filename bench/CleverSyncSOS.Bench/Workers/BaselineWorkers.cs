using System.Diagnostics;
using CleverSyncSOS.Bench.Harness;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Entities;

namespace CleverSyncSOS.Bench.Workers;

/// <summary>The baselines: the naive EF Core sync, and the raw limits of fetching and of writing.</summary>
internal static class BaselineWorkers
{
    public static async Task NaiveAsync(WorkerRequest request, WorkerResult result, WorkerLog log, CancellationToken cancellationToken)
    {
        // Warm-up: the same code on the warm-up school, stopped early (it is slow), into a throwaway database.
        var watch = Stopwatch.StartNew();
        var warmUpRecords = Math.Clamp(request.WarmUpRecords / 20, 1_000, 10_000);
        await using (var warm = await SyncHarness.StartAsync(EngineWorkers.Settings(request, request.WarmUpSimulatorUrl), cancellationToken))
        {
            await warm.OnboardAsync(null, cancellationToken);
            var outcome = await NaiveEfSync.RunAsync(warm, warm.District.Schools[0].Id, request.NaiveSaveEvery, warmUpRecords, cancellationToken);
            result.WarmUpRecords = outcome.Read;
        }

        result.WarmUpSeconds = watch.Elapsed.TotalSeconds;
        log.Write($"warm-up: {result.WarmUpRecords:N0} records in {result.WarmUpSeconds:F1} s (not measured)");

        var school = request.SchoolId ?? throw new ArgumentException("naive needs a school.");
        EngineWorkers.Add(result, log, await BestOf.MeasureAsync(request.Runs, () => NaiveRunAsync(request, school, cancellationToken), memoryOfFirst: true));
    }

    /// <summary>One naive sync of the school into fresh databases.</summary>
    private static async Task<Measurement> NaiveRunAsync(WorkerRequest request, string school, CancellationToken cancellationToken)
    {
        await using var harness = await SyncHarness.StartAsync(EngineWorkers.Settings(request, request.SimulatorUrl), cancellationToken);
        await harness.OnboardAsync([school], cancellationToken);
        var before = await harness.Admin.GetStatsAsync(cancellationToken);
        Settle.Now();
        var probe = MemoryProbe.Start();
        var stats = ProcessStats.Capture();
        var watch = Stopwatch.StartNew();
        var naive = await NaiveEfSync.RunAsync(harness, school, request.NaiveSaveEvery, null, cancellationToken);
        watch.Stop();
        var statsAfter = ProcessStats.Capture();
        var (rss, scenarioOnly, managed) = await probe.StopAsync();
        var after = await harness.Admin.GetStatsAsync(cancellationToken);
        var m = new Measurement
        {
            Name = "naive",
            Seconds = watch.Elapsed.TotalSeconds,
            Records = naive.Read,
            Written = naive.Written,
            Failed = naive.Failed,
            Requests = after.DataRequests - before.DataRequests,
            PeakRssBytes = rss,
            PeakRssScenarioOnly = scenarioOnly,
            PeakManagedBytes = managed,
        };
        statsAfter.AddSince(stats, m);
        m.Extra["saveEvery"] = request.NaiveSaveEvery;
        return m;
    }

    public static async Task RawFetchAsync(WorkerRequest request, WorkerResult result, WorkerLog log, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        result.WarmUpRecords = await WarmUpRawFetchAsync(request, cancellationToken);
        result.WarmUpSeconds = watch.Elapsed.TotalSeconds;
        log.Write($"warm-up: {result.WarmUpRecords:N0} records in {result.WarmUpSeconds:F1} s (not measured)");

        var school = request.SchoolId ?? throw new ArgumentException("rawfetch needs a school.");
        using var reader = await RawCleverReader.ConnectAsync(request.SimulatorUrl, cancellationToken);
        using var adminHttp = new HttpClient();
        var admin = new SimulatorAdminClient(adminHttp, new Uri(request.SimulatorUrl));
        EngineWorkers.Add(result, log, await BestOf.MeasureAsync(request.Runs, () => RawFetchRunAsync(reader, admin, school, request.PageSize, "raw-fetch", cancellationToken)));
    }

    /// <summary>Reads the warm-up school over and over with the raw reader until the warm-up's records are read; returns how many.</summary>
    public static async Task<long> WarmUpRawFetchAsync(WorkerRequest request, CancellationToken cancellationToken)
    {
        long records = 0;
        using var warm = await RawCleverReader.ConnectAsync(request.WarmUpSimulatorUrl, cancellationToken);
        while (records < request.WarmUpRecords)
        {
            records += await warm.ReadSchoolAsync(warm.District.Schools[0].Id, request.PageSize, cancellationToken);
        }

        return records;
    }

    /// <summary>One timed read of the school's users: HTTP and JSON only, nothing validated or written.</summary>
    public static async Task<Measurement> RawFetchRunAsync(RawCleverReader reader, SimulatorAdminClient admin, string school, int pageSize, string name,
        CancellationToken cancellationToken)
    {
        var before = await admin.GetStatsAsync(cancellationToken);
        Settle.Now();
        var stats = ProcessStats.Capture();
        var watch = Stopwatch.StartNew();
        var records = await reader.ReadSchoolAsync(school, pageSize, cancellationToken);
        watch.Stop();
        var statsAfter = ProcessStats.Capture();
        var after = await admin.GetStatsAsync(cancellationToken);
        var m = new Measurement { Name = name, Seconds = watch.Elapsed.TotalSeconds, Records = records, Requests = after.DataRequests - before.DataRequests };
        statsAfter.AddSince(stats, m);
        return m;
    }

    public static async Task RawWriteAsync(WorkerRequest request, WorkerResult result, WorkerLog log, CancellationToken cancellationToken)
    {
        var provider = Enum.Parse<DatabaseProvider>(request.Provider);
        var methods = request.RawRowsPerStatement.Select(n => (Method: n == 1 ? RawWriteMethod.SingleRow : RawWriteMethod.MultiRow, RowsPerStatement: n))
            .Concat(request.RawCopy ? [(RawWriteMethod.CopyMerge, 0), (RawWriteMethod.CopyInto, 0)] : []).ToList();

        // The rows, loaded before anything is timed: the school's users as the service maps them.
        var school = request.SchoolId ?? throw new ArgumentException("rawwrite needs a school.");
        var rows = await LoadRowsAsync(request.SimulatorUrl, school, request.PageSize, cancellationToken);
        var total = rows.Sum(t => (long)t.Rows.Count);

        // Every method writes the warm-up school until it has written a tenth of the warm-up records (100 000 rows in a full
        // run): the ADO.NET path is short, it needs far less warming than HTTP and JSON, but more than one small school.
        var watch = Stopwatch.StartNew();
        var warmRows = await LoadRowsAsync(request.WarmUpSimulatorUrl, null, request.PageSize, cancellationToken);
        for (var round = 0; round < WarmUpWriteRounds(request, warmRows); round++)
        {
            foreach (var (method, rowsPerStatement) in methods)
            {
                await WriteIntoFreshDatabaseAsync(request, request.WarmUpSimulatorUrl, null, warmRows, method, rowsPerStatement, measured: false, cancellationToken);
                result.WarmUpRecords += warmRows.Sum(t => (long)t.Rows.Count);
            }
        }

        result.WarmUpSeconds = watch.Elapsed.TotalSeconds;
        log.Write($"warm-up: {result.WarmUpRecords:N0} rows in {result.WarmUpSeconds:F1} s (not measured)");

        foreach (var (method, rowsPerStatement) in methods)
        {
            // 500 rows a statement takes 7 s a run and is only there to show why the service does not write that way: once.
            var runs = method == RawWriteMethod.MultiRow && rowsPerStatement >= 500 ? 1 : request.Runs;
            EngineWorkers.Add(result, log, await BestOf.MeasureAsync(runs, async () =>
            {
                Settle.Now();
                var stats = ProcessStats.Capture();
                var (seconds, written) = await WriteIntoFreshDatabaseAsync(request, request.SimulatorUrl, school, rows, method, rowsPerStatement, measured: true, cancellationToken);
                var m = new Measurement { Name = RawWriteName(method, rowsPerStatement), Seconds = seconds, Records = total, Written = written };
                ProcessStats.Capture().AddSince(stats, m); // includes creating the database, which is not timed
                m.Extra["rowsPerStatement"] = rowsPerStatement;
                return m;
            }));
        }

        foreach (var batchSize in request.EngineWriterBatchSizes)
        {
            await WarmUpEngineWriterAsync(request, warmRows, batchSize, cancellationToken);
            EngineWorkers.Add(result, log, await BestOf.MeasureAsync(request.Runs,
                () => EngineWriterRunAsync(request, school, rows, batchSize, $"engine-writer-batch{batchSize}", cancellationToken)));
        }
    }

    /// <summary>
    /// How many times a writer writes the warm-up school's <paramref name="warmRows"/> before it is measured: until it has
    /// written a tenth of the warm-up records (100 000 rows in a full run).
    /// </summary>
    private static int WarmUpWriteRounds(WorkerRequest request, IReadOnlyList<TableRows> warmRows) =>
        (int)Math.Ceiling(request.WarmUpRecords / 10.0 / Math.Max(1, warmRows.Sum(t => (long)t.Rows.Count)));

    /// <summary>The service's writer at <paramref name="batchSize"/> writes the warm-up school's rows into throwaway databases (not measured).</summary>
    public static async Task WarmUpEngineWriterAsync(WorkerRequest request, IReadOnlyList<TableRows> warmRows, int batchSize, CancellationToken cancellationToken)
    {
        for (var round = 0; round < WarmUpWriteRounds(request, warmRows); round++)
        {
            await EngineWriterIntoFreshDatabaseAsync(request, request.WarmUpSimulatorUrl, null, warmRows, batchSize, measured: false, cancellationToken);
        }
    }

    /// <summary>One timed write of <paramref name="rows"/> by the service's own writer into a fresh database of the school.</summary>
    public static async Task<Measurement> EngineWriterRunAsync(WorkerRequest request, string school, IReadOnlyList<TableRows> rows, int batchSize, string name,
        CancellationToken cancellationToken)
    {
        Settle.Now();
        var stats = ProcessStats.Capture();
        var (seconds, written) = await EngineWriterIntoFreshDatabaseAsync(request, request.SimulatorUrl, school, rows, batchSize, measured: true, cancellationToken);
        var m = new Measurement { Name = name, Seconds = seconds, Records = rows.Sum(t => (long)t.Rows.Count), Written = written };
        ProcessStats.Capture().AddSince(stats, m); // includes creating the database, which is not timed
        m.Extra["batchSize"] = batchSize;
        return m;
    }

    private static async Task<(double Seconds, long Written)> EngineWriterIntoFreshDatabaseAsync(WorkerRequest request, string simulatorUrl, string? school,
        IReadOnlyList<TableRows> rows, int batchSize, bool measured, CancellationToken cancellationToken)
    {
        await using var harness = await SyncHarness.StartAsync(EngineWorkers.Settings(request, simulatorUrl), cancellationToken);
        school ??= harness.District.Schools[0].Id;
        await harness.OnboardAsync([school], cancellationToken);
        var connectionString = await harness.SchoolConnectionStringAsync(school, cancellationToken);
        if (measured)
        {
            Settle.Now(); // after the database was created, as a full sync settles after its set-up
        }

        var watch = Stopwatch.StartNew();
        var written = await RawWriter.EngineWriterAsync(harness.Provider, connectionString, rows, batchSize, cancellationToken);
        return (watch.Elapsed.TotalSeconds, written);
    }

    public static string RawWriteName(RawWriteMethod method, int rowsPerStatement) =>
        method switch
        {
            RawWriteMethod.CopyMerge => "raw-write-copy",
            RawWriteMethod.CopyInto => "raw-write-copy-into",
            _ => $"raw-write-rows{(method == RawWriteMethod.SingleRow ? 1 : rowsPerStatement)}",
        };

    /// <summary>Onboards the school into a new harness (so the database and its schema are the service's own), then times only the write.</summary>
    private static async Task<(double Seconds, long Written)> WriteIntoFreshDatabaseAsync(WorkerRequest request, string simulatorUrl, string? school,
        IReadOnlyList<TableRows> rows, RawWriteMethod method, int rowsPerStatement, bool measured, CancellationToken cancellationToken)
    {
        await using var harness = await SyncHarness.StartAsync(EngineWorkers.Settings(request, simulatorUrl), cancellationToken);
        school ??= harness.District.Schools[0].Id;
        await harness.OnboardAsync([school], cancellationToken);
        var connectionString = await harness.SchoolConnectionStringAsync(school, cancellationToken);
        if (measured)
        {
            Settle.Now(); // after the database was created, as a full sync settles after its set-up
        }

        var watch = Stopwatch.StartNew();
        var written = await RawWriter.WriteAsync(harness.Provider, connectionString, rows, method, rowsPerStatement, cancellationToken);
        return (watch.Elapsed.TotalSeconds, written);
    }

    /// <summary>The school's users as the service maps them, read with the raw reader (not timed).</summary>
    public static async Task<IReadOnlyList<TableRows>> LoadRowsAsync(string simulatorUrl, string? school, int pageSize, CancellationToken cancellationToken)
    {
        using var reader = await RawCleverReader.ConnectAsync(simulatorUrl, cancellationToken);
        school ??= reader.District.Schools[0].Id;
        var students = new List<object?[]>();
        var teachers = new List<object?[]>();
        await reader.ReadSchoolUsersAsync(school, "student", pageSize, u => students.Add(SyncEntities.Student.RowsOf(u)[0]), cancellationToken);
        await reader.ReadSchoolUsersAsync(school, "teacher", pageSize, u => teachers.Add(SyncEntities.Teacher.RowsOf(u)[0]), cancellationToken);
        return [new TableRows(typeof(Student), students), new TableRows(typeof(Teacher), teachers)];
    }
}
