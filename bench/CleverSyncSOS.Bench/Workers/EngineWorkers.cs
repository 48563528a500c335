using System.Diagnostics;
using CleverSyncSOS.Bench.Harness;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Bench.Workers;

/// <summary>Workloads that run the service itself: full and incremental syncs of a school, a district, the rate-limited run.</summary>
internal static class EngineWorkers
{
    public static async Task FullAsync(WorkerRequest request, WorkerResult result, WorkerLog log, CancellationToken cancellationToken)
    {
        await WarmUpAsync(request, result, log, cancellationToken);
        var school = request.SchoolId ?? throw new ArgumentException("full needs a school.");

        // Each run is a school's first sync into fresh databases; the last run's harness stays for the incremental syncs.
        SyncHarness? harness = null;
        try
        {
            async Task<Measurement> SyncRunAsync()
            {
                if (harness is not null)
                {
                    await harness.DisposeAsync();
                }

                harness = await SyncHarness.StartAsync(Settings(request, request.SimulatorUrl), cancellationToken);
                await harness.OnboardAsync([school], cancellationToken);
                return await MeasureSyncAsync("full", harness, school, memory: true, cancellationToken);
            }

            var full = request.PairedWriterBatchSize > 0
                ? await PairedBaselines.MeasureAsync(request, school, SyncRunAsync, result, log, cancellationToken)
                : await BestOf.MeasureAsync(request.Runs, SyncRunAsync, memoryOfFirst: true);
            Add(result, log, full);
            if (request.Incremental)
            {
                await IncrementalAsync(request, result, log, harness!, school, full, cancellationToken);
            }
        }
        finally
        {
            if (harness is not null)
            {
                await harness.DisposeAsync();
            }
        }
    }

    /// <summary>Incremental syncs after the school's full sync: nothing changed, then a share of the records changed in Clever.</summary>
    private static async Task IncrementalAsync(WorkerRequest request, WorkerResult result, WorkerLog log, SyncHarness harness, string school, Measurement full,
        CancellationToken cancellationToken)
    {
        // The simulator already holds an event (on another school's user), so the full sync stored a cursor
        // and the next syncs use Clever's events instead of comparing a full read.
        Add(result, log, await MeasureSyncAsync("incremental-0", harness, school, memory: true, cancellationToken));

        var changes = (int)Math.Max(1, Math.Round(full.Records * request.ChangeShare));
        var adds = changes / 10;
        var removes = changes / 10;
        var applied = await harness.Admin.ApplyRandomChangesAsync(school, adds, changes - adds - removes, removes, seed: 20261127, cancellationToken);
        var changed = await MeasureSyncAsync("incremental-changed", harness, school, memory: true, cancellationToken);
        changed.Extra["usersChanged"] = applied.Added.Count + applied.Updated.Count + applied.Removed.Count;
        changed.Extra["changeShare"] = request.ChangeShare;
        Add(result, log, changed);
    }

    public static async Task DistrictAsync(WorkerRequest request, WorkerResult result, WorkerLog log, CancellationToken cancellationToken)
    {
        await WarmUpAsync(request, result, log, cancellationToken);
        await using var harness = await SyncHarness.StartAsync(Settings(request, request.SimulatorUrl), cancellationToken);
        await harness.OnboardAsync(null, cancellationToken);
        var district = await MeasureSyncAsync("district", harness, null, memory: true, cancellationToken);
        district.Extra["maxParallelSchools"] = harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SyncOptions>>().Value.MaxParallelSchools;
        Add(result, log, district);
    }

    /// <summary>
    /// One sync of the school per page size with the simulator adding latency to every data request; the
    /// simulator's fixed window limit was set when the parent created it. The ceiling is what that limit allows:
    /// (requests per window / window length) × records per page.
    /// </summary>
    public static async Task RateLimitedAsync(WorkerRequest request, WorkerResult result, WorkerLog log, CancellationToken cancellationToken)
    {
        await WarmUpAsync(request, result, log, cancellationToken);
        var school = request.SchoolId ?? throw new ArgumentException("ratelimit needs a school.");
        var counter = new ResponseCounter();
        var allowedRequestsPerSecond = request.RateLimitPerWindow / (double)request.RateLimitWindowSeconds;
        foreach (var pageSize in request.RateLimitPageSizes)
        {
            await using var harness = await SyncHarness.StartAsync(
                Settings(request, request.SimulatorUrl, pageSize, services => services.AddHttpClient<CleverApiClient>().AddHttpMessageHandler(counter.CreateHandler)),
                cancellationToken);
            await harness.OnboardAsync([school], cancellationToken);
            await harness.Admin.SetLatencyAsync(request.LatencyMilliseconds, cancellationToken);
            try
            {
                var attempts = counter.Attempts;
                var tooMany = counter.TooManyRequests;
                var m = await MeasureSyncAsync($"rate-limited-page{pageSize}", harness, school, memory: false, cancellationToken);
                var ceiling = allowedRequestsPerSecond * pageSize;
                m.Extra["pageSize"] = pageSize;
                m.Extra["latencyMilliseconds"] = request.LatencyMilliseconds;
                m.Extra["limitPerWindow"] = request.RateLimitPerWindow;
                m.Extra["windowSeconds"] = request.RateLimitWindowSeconds;
                m.Extra["clientAttempts"] = counter.Attempts - attempts;
                m.Extra["tooManyRequests"] = counter.TooManyRequests - tooMany;
                m.Extra["ceilingRecordsPerSecond"] = ceiling;
                m.Extra["efficiency"] = m.RecordsPerSecond / ceiling;
                m.Extra["requestsPerSecond"] = m.Requests.GetValueOrDefault() / m.Seconds;
                m.Extra["requestEfficiency"] = m.Requests.GetValueOrDefault() / m.Seconds / allowedRequestsPerSecond;
                Add(result, log, m);
                log.Write($"  page {pageSize}: {m.Extra["efficiency"]:P1} of the {ceiling:N0} records/s the limit allows; {m.Extra["tooManyRequests"]} × 429");
            }
            finally
            {
                await harness.Admin.SetLatencyAsync(0, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Full syncs of the warm-up simulator's school into throwaway databases (same provider), each in a new harness as a
    /// measured one, until the JIT has seen enough records to tier the HTTP, JSON and write paths up and enough syncs to
    /// tier up what runs once a sync (<see cref="Orchestration.BenchProfile.WarmUpSyncs"/>); none of it is measured.
    /// </summary>
    public static async Task WarmUpAsync(WorkerRequest request, WorkerResult result, WorkerLog log, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        long records = 0;
        for (var i = 0; (i < request.WarmUpSyncs || records < request.WarmUpRecords) && i < 1_000; i++)
        {
            await using var harness = await SyncHarness.StartAsync(Settings(request, request.WarmUpSimulatorUrl), cancellationToken);
            await harness.OnboardAsync(null, cancellationToken);
            // Spans recorded as in a measured sync: with a listener, HttpClient and the service create and tag activities,
            // code that would otherwise run (and be compiled) for the first time in the measured syncs.
            using var phases = PhaseProbe.Start();
            var results = await harness.SyncAsync(null, cancellationToken);
            Ensure(results);
            records += results.SelectMany(r => r.Entities).Sum(e => (long)e.Processed + e.Failed);
        }

        result.WarmUpSeconds = watch.Elapsed.TotalSeconds;
        result.WarmUpRecords = records;
        log.Write($"warm-up: {records:N0} records in {watch.Elapsed.TotalSeconds:F1} s (not measured)");
    }

    public static HarnessSettings Settings(WorkerRequest request, string simulatorUrl, int? pageSize = null, Action<IServiceCollection>? services = null) =>
        new(simulatorUrl, request.WorkDirectory, Enum.Parse<DatabaseProvider>(request.Provider), request.PostgresServer, request.PostgresPrefix,
            pageSize ?? request.PageSize, services, request.SyncSections, request.ChangeLog);

    internal static async Task<Measurement> MeasureSyncAsync(string name, SyncHarness harness, string? school, bool memory, CancellationToken cancellationToken)
    {
        var before = await harness.Admin.GetStatsAsync(cancellationToken);
        Settle.Now();
        var probe = memory ? MemoryProbe.Start() : null;
        using var phases = PhaseProbe.Start();
        var jit = JitNames.Start();
        var stats = ProcessStats.Capture();
        var watch = Stopwatch.StartNew();
        var results = await harness.SyncAsync(school, cancellationToken);
        watch.Stop();
        jit?.Save(name);
        phases.Dispose();
        var statsAfter = ProcessStats.Capture();
        var peak = probe is null ? default((long, bool, long)?) : await probe.StopAsync();
        var after = await harness.Admin.GetStatsAsync(cancellationToken);
        Ensure(results);

        var entities = results.SelectMany(r => r.Entities).ToList();
        var m = new Measurement
        {
            Name = name,
            Seconds = watch.Elapsed.TotalSeconds,
            Records = entities.Sum(e => (long)e.Processed + e.Failed),
            Written = entities.Sum(e => (long)e.Created + e.Updated + e.Deleted),
            Failed = entities.Sum(e => (long)e.Failed),
            Requests = after.DataRequests - before.DataRequests,
            SyncType = string.Join("+", results.Select(r => r.SyncType.ToString()).Distinct()),
        };
        statsAfter.AddSince(stats, m);
        phases.AddTo(m);
        m.Extra["schools"] = results.Count;
        m.Extra["created"] = entities.Sum(e => e.Created);
        m.Extra["updated"] = entities.Sum(e => e.Updated);
        m.Extra["deleted"] = entities.Sum(e => e.Deleted);
        if (peak is var (rss, scenarioOnly, managed))
        {
            m.PeakRssBytes = rss;
            m.PeakRssScenarioOnly = scenarioOnly;
            m.PeakManagedBytes = managed;
            probe!.AddBreakdown(m.Extra);
        }

        return m;
    }

    private static void Ensure(IReadOnlyList<SchoolSyncResult> results)
    {
        var failed = results.Where(r => r.Error is not null || r.Entities.Any(e => e.Error is not null)).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException(
                $"{failed.Count} of {results.Count} school syncs failed: " + string.Join("; ", failed.Take(3).Select(r =>
                    $"{r.SchoolName}: {r.Error ?? r.Entities.First(e => e.Error is not null).Error}")));
        }
    }

    internal static void Add(WorkerResult result, WorkerLog log, Measurement m)
    {
        result.Measurements.Add(m);
        log.Write(m);
    }
}
