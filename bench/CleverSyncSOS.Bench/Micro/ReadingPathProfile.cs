using System.Diagnostics;

namespace CleverSyncSOS.Bench.Micro;

/// <summary>
/// <c>--reading-profile</c>: the steps of <see cref="ReadingPathBenchmarks"/> timed by the process's CPU seconds rather
/// than the wall clock (on a shared machine the wall clock measures the neighbours), with the bytes allocated per page.
/// </summary>
internal static class ReadingPathProfile
{
    public static async Task<int> RunAsync(TextWriter output)
    {
        var steps = new ReadingPathBenchmarks { Records = 10_000 };
        steps.Setup();
        (string Name, Func<Task<int>> Run)[] cases =
        [
            ("tokens only (Utf8JsonReader)", () => Task.FromResult(steps.TokensOnly())),
            ("raw parse (bench's raw fetch)", () => Task.FromResult(steps.RawParse())),
            ("service JSON context parse", () => Task.FromResult(steps.ServiceContextParse())),
            ("service user page parser", () => Task.FromResult(steps.UserPageParse())),
            ("service client reads the page", steps.ClientReadsPage),
            ("scope check, map and validate", () => Task.FromResult(steps.MapAndValidate())),
            ("whole reader (client to batches)", steps.SourceReaderReadsPage),
        ];
        output.WriteLine($"page: {steps.PageBytes / 1048576.0:F2} MB");
        output.WriteLine($"{"step",-36} {"CPU ms/page",12} {"MB/page",9}");
        foreach (var (name, run) in cases)
        {
            for (var i = 0; i < 5; i++)
            {
                await run(); // JIT and tiering
            }

            const int rounds = 20;
            var process = Process.GetCurrentProcess();
            GC.Collect();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < rounds; i++)
            {
                await run();
            }

            var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            process.Refresh();
            var ms = (process.TotalProcessorTime - cpu).TotalMilliseconds / rounds;
            output.WriteLine($"{name,-36} {ms,12:F1} {bytes / rounds / 1048576.0,9:F2}");
        }

        return 0;
    }
}
