namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// Called just before a measured operation starts: collects what the set-up left behind (the warm-up's harnesses,
/// their service providers and connections, rows loaded for a raw write) and runs its finalizers now, so that the
/// finalizer thread does not do that work on one of the 2 cores while the operation is timed. Every workload,
/// baselines included, settles the same way, so the ratios compare like with like.
/// </summary>
public static class Settle
{
    public static void Now()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
