using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CleverSyncSOS.Bench.Micro;

/// <summary>
/// The micro benchmarks (--micro), run in process (no generated project to build) with short jobs so the whole set
/// stays within a few minutes on two cores. Artifacts go to ./BenchmarkDotNet.Artifacts (gitignored).
/// </summary>
internal static class MicroBenchmarks
{
    public static int Run(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        if (!args.Any(a => a.StartsWith("--filter", StringComparison.Ordinal)))
        {
            args = [.. args, "--filter", "*"];
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
