using System.Text.Json;
using CleverSyncSOS.Bench.Harness;
using Microsoft.Data.Sqlite;

namespace CleverSyncSOS.Bench.Workers;

/// <summary>
/// The child side: <c>--scenario NAME --size N --request FILE --result FILE</c>. Runs one measured workload in
/// this fresh process (so its peak memory is the workload's alone; the simulator it reads lives in the
/// parent) and writes what it measured as JSON.
/// </summary>
internal static class WorkerHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var requestFile = Arg(args, "--request") ?? throw new ArgumentException("--request FILE is required with --scenario.");
        var resultFile = Arg(args, "--result") ?? throw new ArgumentException("--result FILE is required with --scenario.");
        var request = JsonSerializer.Deserialize(await File.ReadAllTextAsync(requestFile), BenchJson.Default.WorkerRequest)
                      ?? throw new InvalidOperationException($"{requestFile} holds no request.");
        var result = new WorkerResult();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            Directory.CreateDirectory(request.WorkDirectory);
            var log = new WorkerLog(request);
            await (request.Scenario switch
            {
                "full" => EngineWorkers.FullAsync(request, result, log, cancel.Token),
                "district" => EngineWorkers.DistrictAsync(request, result, log, cancel.Token),
                "ratelimit" => EngineWorkers.RateLimitedAsync(request, result, log, cancel.Token),
                "events" => DistrictEventWorkers.EventsAsync(request, result, log, cancel.Token),
                "fleet" => DistrictEventWorkers.FleetAsync(request, result, log, cancel.Token),
                "naive" => BaselineWorkers.NaiveAsync(request, result, log, cancel.Token),
                "rawfetch" => BaselineWorkers.RawFetchAsync(request, result, log, cancel.Token),
                "rawwrite" => BaselineWorkers.RawWriteAsync(request, result, log, cancel.Token),
                _ => throw new ArgumentException($"Unknown scenario '{request.Scenario}'."),
            });
        }
        catch (Exception ex)
        {
            result.Error = ex.ToString();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (request.PostgresServer is { } server && request.PostgresPrefix is { } prefix)
            {
                try
                {
                    await PostgresDatabases.DropAsync(server, prefix, CancellationToken.None);
                }
                catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
                {
                    // The parent drops the run's prefix again at its end.
                    result.Error ??= $"Could not drop the databases {prefix}*: {ex.Message}";
                }
            }

            try
            {
                Directory.Delete(request.WorkDirectory, recursive: true);
            }
            catch (IOException)
            {
                // The parent deletes the run's folder at the end too.
            }
        }

        await File.WriteAllTextAsync(resultFile, JsonSerializer.Serialize(result, BenchJson.Default.WorkerResult));
        return result.Error is null ? 0 : 1;
    }

    private static string? Arg(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>Progress lines on stderr; the parent shows them indented under the scenario.</summary>
internal sealed class WorkerLog(WorkerRequest request)
{
    public void Write(string message) =>
        Console.Error.WriteLine($"[{request.Scenario} {request.Provider} {request.Size:N0}] {message}");

    public void Write(Measurement m) =>
        Write($"{m.Name}: {m.Records:N0} records in {m.Seconds:F2} s = {m.RecordsPerSecond:N0}/s"
              + (m.PeakRssBytes is { } rss ? $", peak RSS {rss / 1048576.0:N0} MiB" : "")
              + (m.Requests is { } requests ? $", {requests:N0} requests" : "")
              + (m.Written is { } written ? $", {written:N0} written" : "")
              + (m.Extra.TryGetValue(Harness.ProcessStats.StealShare, out var steal) ? $", steal {steal:P0}" : "")
              + (m.Extra.TryGetValue("stolenRuns", out var stolen) && stolen > 0 ? $", {stolen} stolen run(s) run again" : ""));
}
