using System.Diagnostics;
using CleverSyncSOS.Bench.Harness;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Bench.Workers;

/// <summary>
/// The full sync's fetch-then-write baseline measured beside it: in the sync's own worker, a raw fetch of the school
/// and a write of its rows by the service's writer alone after every sync run. Measured in separate workers minutes
/// apart, the two sides of the ratio moved by up to a third with the virtual machine's speed (baselines near their best at
/// the start of a run, the syncs slower near its end, or the other way round); run in turn, each side's best comes
/// from the same minutes. The separate rawfetch and rawwrite workers still give the table's baselines and ceilings.
/// </summary>
internal static class PairedBaselines
{
    public const string FetchName = "paired-raw-fetch";
    public const string WriterPrefix = "paired-engine-writer-batch";

    /// <summary>
    /// Runs <paramref name="syncRun"/> and the two baselines in turn (the sync first, so its first run's memory is that
    /// of a process that has only warmed the sync up), adds the baselines' best to <paramref name="result"/> and returns
    /// the sync's best.
    /// </summary>
    public static async Task<Measurement> MeasureAsync(WorkerRequest request, string school, Func<Task<Measurement>> syncRun, WorkerResult result,
        WorkerLog log, CancellationToken cancellationToken)
    {
        using var adminHttp = new HttpClient();
        var admin = new SimulatorAdminClient(adminHttp, new Uri(request.SimulatorUrl));
        RawCleverReader? reader = null;
        var writerWarm = false;
        var batchSize = request.PairedWriterBatchSize;
        try
        {
            async Task<Measurement> FetchRunAsync()
            {
                if (reader is null)
                {
                    // Warmed here, after the sync's first run, so the raw reader's warm-up is not in that run's memory.
                    var watch = Stopwatch.StartNew();
                    var records = await BaselineWorkers.WarmUpRawFetchAsync(request, cancellationToken);
                    log.Write($"raw fetch warm-up: {records:N0} records in {watch.Elapsed.TotalSeconds:F1} s (not measured)");
                    reader = await RawCleverReader.ConnectAsync(request.SimulatorUrl, cancellationToken);
                }

                return await BaselineWorkers.RawFetchRunAsync(reader, admin, school, request.PageSize, FetchName, cancellationToken);
            }

            async Task<Measurement> WriterRunAsync()
            {
                if (!writerWarm)
                {
                    // As the rawwrite worker warms its writer.
                    var warmRows = await BaselineWorkers.LoadRowsAsync(request.WarmUpSimulatorUrl, null, request.PageSize, cancellationToken);
                    await BaselineWorkers.WarmUpEngineWriterAsync(request, warmRows, batchSize, cancellationToken);
                    writerWarm = true;
                }

                // Loaded for each run and dropped after it, so the sync runs in between do not carry the rows in their heap.
                var rows = await BaselineWorkers.LoadRowsAsync(request.SimulatorUrl, school, request.PageSize, cancellationToken);
                return await BaselineWorkers.EngineWriterRunAsync(request, school, rows, batchSize, $"{WriterPrefix}{batchSize}", cancellationToken);
            }

            var best = await BestOf.MeasureInTurnAsync(request.Runs, [syncRun, FetchRunAsync, WriterRunAsync], memoryOfFirst: true);
            EngineWorkers.Add(result, log, best[1]);
            EngineWorkers.Add(result, log, best[2]);
            return best[0];
        }
        finally
        {
            reader?.Dispose();
        }
    }
}
