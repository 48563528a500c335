using CleverSyncSOS.Bench.Micro;
using CleverSyncSOS.Bench.Orchestration;
using CleverSyncSOS.Bench.Workers;

namespace CleverSyncSOS.Bench;

/// <summary>
/// dotnet run -c Release --project bench/CleverSyncSOS.Bench                 every end-to-end scenario (well under 30 min)
/// dotnet run -c Release --project bench/CleverSyncSOS.Bench -- --quick      small sizes, a few minutes
/// dotnet run -c Release --project bench/CleverSyncSOS.Bench -- --micro      the BenchmarkDotNet micro benchmarks (BenchmarkDotNet args may follow)
/// Results: bench/results/latest.md and latest.json (or --out DIR). PostgreSQL rows need CLEVERSYNC_TEST_POSTGRES.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("""
                CleverSyncSOS benchmark
                  (no options)   full run: 10k/100k/1M-student schools, PostgreSQL, incremental, district, baselines, rate limit
                  --quick        small sizes, a few minutes
                  --micro [...]  BenchmarkDotNet micro benchmarks; further arguments go to BenchmarkDotNet (default --filter *)
                  --reading-profile  CPU milliseconds and MB allocated per 10 000-student page, step by step of the reading path
                  --out DIR      where latest.md and latest.json go (default: bench/results of this repository)
                  --sizes N,M    only these school sizes (of 10000, 100000, 1000000), e.g. --sizes 100000
                  --only A,B     run only these workers: full, district, ratelimit, naive, rawfetch, rawwrite, events, fleet, or e.g. full/PostgreSql
                PostgreSQL rows run when CLEVERSYNC_TEST_POSTGRES holds a server connection string, and are skipped otherwise.
                """);
            return 0;
        }

        if (args.Contains("--scenario"))
        {
            return await WorkerHost.RunAsync(args);
        }

        if (args.Contains("--reading-profile"))
        {
            return await ReadingPathProfile.RunAsync(Console.Out);
        }

        if (args.Contains("--micro"))
        {
            return MicroBenchmarks.Run([.. args.Where(a => a != "--micro")]);
        }

        var quick = args.Contains("--quick");
        var output = Array.IndexOf(args, "--out") is var i and >= 0 && i + 1 < args.Length ? Path.GetFullPath(args[i + 1]) : DefaultResultsDirectory();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var only = Array.IndexOf(args, "--only") is var j and >= 0 && j + 1 < args.Length
            ? args[j + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : null;
        var command = "dotnet run -c Release --project bench/CleverSyncSOS.Bench" + (quick ? " -- --quick" : "");
        var profile = quick ? BenchProfile.Quick : BenchProfile.Full;
        if (Array.IndexOf(args, "--sizes") is var k and >= 0 && k + 1 < args.Length)
        {
            // A quicker look at some school sizes only (e.g. the compare size): the ratios of other sizes are reported as missing.
            var sizes = args[k + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToHashSet();
            profile = profile with { FullSizes = [.. profile.FullSizes.Where(sizes.Contains)], ExtraRawSizes = [.. profile.ExtraRawSizes.Where(sizes.Contains)] };
        }

        return await new BenchRunner(profile, output, command, Console.Out, only).RunAsync(cancel.Token);
    }

    /// <summary>bench/results of the repository this program was built from (found from the working folder, else the binary's).</summary>
    private static string DefaultResultsDirectory()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CleverSyncSOS.sln")))
                {
                    return Path.Combine(dir.FullName, "bench", "results");
                }
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "bench-results");
    }
}
