using CleverSyncSOS.Simulator.RateLimiting;

namespace CleverSyncSOS.Simulator.Hosting;

/// <summary>Counts requests per simulated service (any outcome), for tests asserting retries and token reuse.</summary>
internal sealed class RequestCounters
{
    private int _token;
    private int _data;
    private int _rateLimited;

    public int Token => Volatile.Read(ref _token);
    public int Data => Volatile.Read(ref _data);
    public int RateLimited => Volatile.Read(ref _rateLimited);

    public void CountToken() => Interlocked.Increment(ref _token);
    public void CountData() => Interlocked.Increment(ref _data);
    public void CountRateLimited() => Interlocked.Increment(ref _rateLimited);
}

/// <summary>Everything the request pipeline and endpoints share for one running simulator.</summary>
internal sealed record SimulatorRuntime(
    SimulatorOptions Options,
    SimulatorStore Store,
    FaultInjector Faults,
    FixedWindowRateLimiter RateLimiter,
    RequestCounters Counters,
    CancellationToken Stopping);
