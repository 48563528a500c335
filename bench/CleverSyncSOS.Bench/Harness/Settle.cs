using System.Diagnostics;
using System.Runtime;
using Npgsql;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// Called just before a measured operation starts, so that the operation is not timed while the process (or the
/// PostgreSQL server) finishes the set-up's work on one of the 2 cores. Every workload, baselines included, settles the same way, so the ratios compare
/// like with like.
/// </summary>
public static class Settle
{
    // The runtime promotes a method to optimized code after 30 calls, in batches on a background thread, once no new
    // method has been compiled for 100 ms; a quiet spell of several times that means the backlog is done.
    private static readonly TimeSpan QuietSpell = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    public static void Now()
    {
        CheckpointPostgres();
        WaitForQuietJit();
        CollectGarbage();
    }

    /// <summary>
    /// Has the PostgreSQL server (when the benchmark uses one) write out what the set-up and the workloads before left in
    /// its buffers: creating a run's databases and their schema, and a baseline such as naive EF Core, leave pages that
    /// the server's checkpointer would otherwise write during the timed run, on the same 2 cores and disk.
    /// </summary>
    private static void CheckpointPostgres()
    {
        if (PostgresDatabases.Server is not { } server)
        {
            return;
        }

        try
        {
            using var connection = new NpgsqlConnection(PostgresDatabases.Maintenance(server));
            connection.Open();
            using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection) { CommandTimeout = 120 };
            checkpoint.ExecuteNonQuery();
        }
        catch (PostgresException)
        {
            // A role without the right to checkpoint (neither superuser nor pg_checkpoint): measured without it.
        }
    }

    /// <summary>
    /// Waits until the JIT has compiled nothing for a while. Each run's set-up creates databases through EF Core's
    /// migrations and builds service providers, thousands of methods that the runtime recompiles optimized on its
    /// tiering thread for tens of seconds afterwards; measured with a profiler, that thread took about a quarter of
    /// the machine during the timed syncs that followed.
    /// </summary>
    private static void WaitForQuietJit()
    {
        var waited = Stopwatch.StartNew();
        var quietSince = waited.Elapsed;
        var compiled = JitInfo.GetCompiledMethodCount();
        while (waited.Elapsed < GiveUpAfter && waited.Elapsed - quietSince < QuietSpell)
        {
            Thread.Sleep(PollEvery);
            var now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quietSince = waited.Elapsed;
            }
        }
    }

    /// <summary>
    /// Collects what the set-up left behind (the warm-up's harnesses, their service providers and connections, rows
    /// loaded for a raw write) and runs its finalizers now rather than on the finalizer thread during the run.
    /// </summary>
    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
