using System.Collections.Concurrent;

namespace CleverSyncSOS.Simulator.RateLimiting;

/// <summary>The outcome of one request against its token's window, with the values Clever puts in X-Ratelimit-* headers.</summary>
internal readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, long ResetUnixSeconds);

/// <summary>
/// Clever's limit: a fixed allowance per bearer token that resets a minute after the window opened
/// (not a sliding average). Every request counts, including rejected ones.
/// </summary>
internal sealed class FixedWindowRateLimiter(int perMinute, TimeProvider time, TimeSpan? window = null)
{
    private readonly TimeSpan _windowLength = window ?? TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private int _perMinute = perMinute;

    public int PerMinute
    {
        get => Volatile.Read(ref _perMinute);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _perMinute, value);
        }
    }

    public RateLimitDecision Acquire(string key)
    {
        var now = time.GetUtcNow();
        if (_windows.Count > 4096) PruneEnded(now);
        var window = _windows.GetOrAdd(key, static _ => new Window());
        lock (window)
        {
            if (now >= window.End)
            {
                window.End = now + _windowLength;
                window.Used = 0;
            }
            window.Used++;
            var limit = PerMinute;
            var reset = (long)Math.Ceiling(window.End.ToUnixTimeMilliseconds() / 1000.0);
            return new RateLimitDecision(window.Used <= limit, limit, Math.Max(0, limit - window.Used), reset);
        }
    }

    public void Reset() => _windows.Clear();

    // Tokens come and go (expiry, revocation); drop windows that ended so the map stays small.
    private void PruneEnded(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            bool ended;
            lock (window) ended = window.End <= now;
            if (ended) _windows.TryRemove(key, out _);
        }
    }

    private sealed class Window
    {
        public DateTimeOffset End { get; set; } = DateTimeOffset.MinValue;
        public int Used { get; set; }
    }
}
