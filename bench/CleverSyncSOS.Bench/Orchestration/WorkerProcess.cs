using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CleverSyncSOS.Bench.Orchestration;

/// <summary>Runs one worker: this same program started again with --scenario, waited for, its result read back.</summary>
internal static class WorkerProcess
{
    private static int _next;

    public static async Task<WorkerResult> RunAsync(WorkerRequest request, string runDirectory, TextWriter log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _next);
        var requestFile = Path.Combine(runDirectory, $"worker{n}.request.json");
        var resultFile = Path.Combine(runDirectory, $"worker{n}.result.json");
        await File.WriteAllTextAsync(requestFile, JsonSerializer.Serialize(request, BenchJson.Default.WorkerRequest), cancellationToken);

        var (fileName, leading) = SelfCommand();
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The runtime postpones call counting (the road to optimized code) while new methods keep being compiled, and
        // every harness the worker builds compiles some (the DI container's resolvers): over the warm-up, methods that run
        // once a sync would otherwise still be tiering up on the JIT's thread during the measured runs, on the 2 cores the
        // sync needs. A service that has run for an hour has them optimized; so does a worker without the delay.
        if (Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs") is null)
        {
            start.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";
        }

        foreach (var arg in leading.Concat(["--scenario", request.Scenario, "--size", request.Size.ToString(CultureInfo.InvariantCulture),
                     "--request", requestFile, "--result", resultFile]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = start };
        var tail = new ConcurrentQueue<string>();
        void Echo(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not { } line)
            {
                return;
            }

            lock (log)
            {
                log.WriteLine("    " + line);
            }

            tail.Enqueue(line);
            while (tail.Count > 20)
            {
                tail.TryDequeue(out _);
            }
        }

        process.OutputDataReceived += Echo;
        process.ErrorDataReceived += Echo;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // Our own child, by its handle: stop it and anything it started.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return new WorkerResult { Error = cancellationToken.IsCancellationRequested ? "Cancelled." : $"Timed out after {timeout.TotalMinutes:F0} minutes." };
        }

        process.WaitForExit(); // drains the redirected output
        if (File.Exists(resultFile))
        {
            return JsonSerializer.Deserialize(await File.ReadAllTextAsync(resultFile, CancellationToken.None), BenchJson.Default.WorkerResult)
                   ?? new WorkerResult { Error = "The worker wrote an empty result." };
        }

        return new WorkerResult { Error = $"The worker exited with code {process.ExitCode} and no result: {string.Join(" | ", tail)}" };
    }

    /// <summary>The apphost when there is one; else `dotnet bench.dll`.</summary>
    private static (string FileName, string[] Leading) SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        return Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (path, [typeof(WorkerProcess).Assembly.Location])
            : (path, []);
    }
}
