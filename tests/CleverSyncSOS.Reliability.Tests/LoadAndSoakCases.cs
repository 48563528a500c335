using System.Diagnostics;
using System.Globalization;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Reliability.Tests.Harness;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using Xunit.Abstractions;

namespace CleverSyncSOS.Reliability.Tests;

/// <summary>Issue 8 §5: a district of 50 schools under Clever's rate limit, and 30 incremental runs with random faults.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class LoadAndSoakCases(ITestOutputHelper output)
{
    [Fact]
    public Task Fifty_schools_of_2000_students_sync_five_at_a_time_under_the_rate_limit() =>
        FaultCase.RunAsync(output, new CaseRow("load: 50 schools x 2 000 students", "one full sync of 50 schools (100 000 students), 5 at a time, simulator limited to 1 200 requests/minute per token",
            "every school Success and equal to Clever's data"),
            new CaseSetup
            {
                Schools = 50, Students = 2000, Teachers = 40, Baseline = false, Converge = false,
                Simulator = o => (o.RateLimitPerMinute, o.SectionsPerStudent) = (1200, 2),
                Settings = s =>
                {
                    s["CleverSyncSOS:CleverApi:PageSize"] = "1000";
                    s["CleverSyncSOS:Sync:MaxParallelSchools"] = "5";
                },
            }, async run =>
            {
                var clock = Stopwatch.StartNew();
                var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
                var elapsed = clock.Elapsed;
                Assert.Equal(50, results.Count);
                Assert.All(results, r => Assert.True(r.Status == SyncStatus.Success, $"{r.CleverSchoolId}: {r.Status} {r.Error}"));
                var requests = run.Simulator.DataRequestCount;
                var limited = run.Simulator.RateLimitedCount;
                run.Simulator.Faults.RateLimitPerMinute = 1_000_000; // the comparison below reads everything again
                await run.AssertConvergedAsync();
                var figure = $"load: 50 schools x 2 000 students, 5 at a time: {requests} data requests, {limited} answered 429, {elapsed.TotalSeconds:F0} s on this machine";
                CaseTable.AddFigure(figure);
                output.WriteLine(figure);
                return $"50/50 Success, {requests} requests, {limited} rate-limited; all 50 equal to Clever's data";
            });

    [Fact]
    public Task A_school_of_a_million_students_syncs_whole_on_SQLite() =>
        FaultCase.RunAsync(output, new CaseRow("load: one school of 10^6 students (SQLite)", "one full sync of a school with 1 000 000 students, pages of 10 000 (classes and the change log off: the size is the point)",
            "Success, every student equal to Clever's data"),
            new CaseSetup
            {
                Schools = 1, Students = 1_000_000, Teachers = 5, Baseline = false, Converge = false,
                Simulator = o => (o.SectionsPerStudent, o.SectionsPerSchool, o.MessyData) = (0, 1, false),
                Settings = s =>
                {
                    s["CleverSyncSOS:CleverApi:PageSize"] = "10000";
                    s["CleverSyncSOS:Sync:SyncSections"] = "false";
                    s["CleverSyncSOS:Sync:ChangeLog"] = "false";
                },
            }, async run =>
            {
                var clock = Stopwatch.StartNew();
                var result = Assert.Single(await run.SyncAsync(new SyncRequest(ForceFull: true)));
                var elapsed = clock.Elapsed;
                Assert.True(result.Status == SyncStatus.Success, $"{result.Status} {result.Error}");
                run.Simulator.Faults.RateLimitPerMinute = 1_000_000; // the comparison below reads everything again
                await run.AssertConvergedAsync(pageSize: 10_000);
                var figure = $"one school of 10^6 students on SQLite: full sync {elapsed.TotalSeconds:F0} s on this machine, {run.Simulator.DataRequestCount} data requests";
                CaseTable.AddFigure(figure);
                return $"Success, {result.Entities.Single(e => e.EntityType == SyncEntityType.Student).Processed} students; all equal to Clever's data";
            });

    [Fact]
    public Task Thirty_incremental_runs_with_random_faults_keep_memory_handles_and_connections_steady() =>
        FaultCase.RunAsync(output, new CaseRow("soak: 30 incremental runs with random faults", "30 incremental syncs of 3 schools; before each, random roster changes and one random fault (5xx, drop, 429, slow answer or none)",
            "memory, file handles and connections steady; nothing lost; converges"),
            new CaseSetup
            {
                Schools = 3, Students = 60, Teachers = 4,
                Settings = s => s["CleverSyncSOS:CleverApi:RequestTimeoutSeconds"] = "1",
            }, async run =>
            {
                var random = new Random(30);
                var samples = new List<Sample>();
                var statuses = new Dictionary<string, int>();
                for (var i = 0; i < 30; i++)
                {
                    foreach (var school in run.SchoolIds.Where(_ => random.Next(2) == 0))
                    {
                        run.Simulator.Store.ApplyRandomChanges(school, adds: random.Next(4), edits: random.Next(6), removes: random.Next(3), seed: random.Next());
                    }

                    run.Simulator.Faults.Clear();
                    if (RandomFault(random) is { } fault)
                    {
                        run.Simulator.Faults.Add(fault);
                    }

                    foreach (var result in await run.SyncAsync())
                    {
                        statuses[result.Status] = statuses.GetValueOrDefault(result.Status) + 1;
                    }

                    samples.Add(Sample.Take(run.Proxy.BaseUrl.Port, run.Simulator.BaseUrl.Port));
                }

                run.Simulator.Faults.Clear();
                var first = samples.Take(5).ToList();
                var last = samples.TakeLast(5).ToList();
                var figure = string.Create(CultureInfo.InvariantCulture,
                    $"soak (30 incremental runs, 3 schools, random faults): GC heap {Mb(first.Average(s => s.Heap))} -> {Mb(last.Average(s => s.Heap))} MB (runs 1-5 -> 26-30), " +
                    $"working set {Mb(first.Average(s => s.WorkingSet))} -> {Mb(last.Average(s => s.WorkingSet))} MB, " +
                    $"open file descriptors {first.Average(s => s.Handles):F0} -> {last.Average(s => s.Handles):F0}, " +
                    $"connections to Clever {first.Average(s => s.Connections):F1} -> {last.Average(s => s.Connections):F1} (max {samples.Max(s => s.Connections)}); " +
                    $"school runs: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value} {s.Key}"))}");
                CaseTable.AddFigure(figure);
                output.WriteLine(figure);
                output.WriteLine(string.Join("\n", samples.Select((s, i) => $"run {i + 1}: {s}")));

                // Steady: the last runs hold no more than the first ones plus a margin for the JIT and caches warming up.
                Assert.True(last.Average(s => s.Heap) <= first.Average(s => s.Heap) * 1.5 + 16 * 1024 * 1024, figure);
                Assert.True(last.Average(s => s.Handles) <= first.Average(s => s.Handles) + 16, figure);
                Assert.True(samples.Max(s => s.Connections) <= 32, figure);
                return figure;
            });

    private static string Mb(double bytes) => (bytes / 1024 / 1024).ToString("F1", CultureInfo.InvariantCulture);

    private static FaultRule? RandomFault(Random random) => random.Next(6) switch
    {
        0 => new FaultRule { StatusCode = 500, Skip = random.Next(4), Count = 1 },
        1 => new FaultRule { DropConnection = true, Skip = random.Next(4), Count = 1 },
        2 => new FaultRule { StatusCode = 429, Skip = random.Next(4), Count = 1, Headers = new() { ["Retry-After"] = "0" } },
        3 => new FaultRule { DelayMilliseconds = 1200, Skip = random.Next(4), Count = 1 },
        4 => new FaultRule { StatusCode = 503, Skip = random.Next(4) },
        _ => null,
    };

    /// <summary>What the process holds after a run: managed heap, working set, open descriptors, TCP connections to Clever.</summary>
    private sealed record Sample(long Heap, long WorkingSet, int Handles, int Connections)
    {
        public static Sample Take(params int[] ports)
        {
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            using var self = Process.GetCurrentProcess();
            return new Sample(heap, self.WorkingSet64, Directory.GetFiles("/proc/self/fd").Length, EstablishedTo(ports));
        }

        /// <summary>Client-side ESTABLISHED connections to the ports, from /proc/net/tcp[6] (addresses are hex ip:port, state 01).</summary>
        private static int EstablishedTo(int[] ports)
        {
            var remotes = ports.Select(p => ":" + p.ToString("X4", CultureInfo.InvariantCulture)).ToArray();
            // .NET sockets are dual-mode: IPv4 connections are listed in tcp6 as ::ffff:127.0.0.1.
            return new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists).SelectMany(f => File.ReadLines(f).Skip(1))
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Count(f => f.Length > 3 && f[3] == "01" && remotes.Any(r => f[2].EndsWith(r, StringComparison.Ordinal)));
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"heap {Mb(Heap)} MB, working set {Mb(WorkingSet)} MB, fds {Handles}, connections {Connections}");
    }
}
