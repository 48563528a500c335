using CleverSyncSOS.Simulator.RateLimiting;

namespace CleverSyncSOS.Simulator;

/// <summary>
/// Run-time control of failure behaviour: injected faults plus the rate limit and added latency,
/// which tests change while a simulator runs. Thread-safe.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<ActiveRule> _rules = [];
    private readonly FixedWindowRateLimiter _rateLimiter;
    private int _latencyMilliseconds;

    internal FaultInjector(FixedWindowRateLimiter rateLimiter, int latencyMilliseconds)
    {
        _rateLimiter = rateLimiter;
        _latencyMilliseconds = latencyMilliseconds;
    }

    /// <summary>Requests allowed per bearer token per one-minute window.</summary>
    public int RateLimitPerMinute
    {
        get => _rateLimiter.PerMinute;
        set => _rateLimiter.PerMinute = value;
    }

    /// <summary>Delay added to every data-API response.</summary>
    public int LatencyMilliseconds
    {
        get => Volatile.Read(ref _latencyMilliseconds);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _latencyMilliseconds, value);
        }
    }

    /// <summary>The rules currently installed, in the order they are tried.</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_gate) return _rules.Select(r => r.Rule).ToList();
        }
    }

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfNegative(rule.Skip);
        ArgumentOutOfRangeException.ThrowIfNegative(rule.Count);
        if (rule.StatusCode is < 100 or > 599) throw new ArgumentOutOfRangeException(nameof(rule), "StatusCode must be an HTTP status.");
        lock (_gate) _rules.Add(new ActiveRule(rule));
    }

    /// <summary>Removes every fault rule (rate limit and latency are left as they are).</summary>
    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    /// <summary>Starts a fresh rate-limit window for every token.</summary>
    public void ResetRateLimitWindows() => _rateLimiter.Reset();

    /// <summary>Counts the request against every matching rule and returns the first rule that fires, if any.</summary>
    internal FaultRule? Match(FaultTarget target, string pathAndQuery)
    {
        lock (_gate)
        {
            FaultRule? fired = null;
            foreach (var active in _rules)
            {
                var rule = active.Rule;
                if (rule.Target != target) continue;
                if (rule.PathContains is { Length: > 0 } part && !pathAndQuery.Contains(part, StringComparison.OrdinalIgnoreCase)) continue;
                var seen = ++active.Seen;
                if (fired is null && seen > rule.Skip && (rule.Count == 0 || seen <= rule.Skip + rule.Count)) fired = rule;
            }
            return fired;
        }
    }

    private sealed class ActiveRule(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;
        public int Seen { get; set; }
    }
}
