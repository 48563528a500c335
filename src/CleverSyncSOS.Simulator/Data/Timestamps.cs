using System.Globalization;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>Clever's timestamp format: UTC with milliseconds, e.g. 2024-09-12T08:00:00.000Z.</summary>
internal static class Timestamps
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// Wall clock that never repeats or goes back by a millisecond, so successive mutations get strictly
/// increasing last_modified/created values even inside one millisecond.
/// </summary>
internal sealed class MonotonicClock(TimeProvider time)
{
    private long _lastMs;

    public DateTimeOffset Now()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Interlocked.Read(ref _lastMs);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastMs, next, last) == last) return DateTimeOffset.FromUnixTimeMilliseconds(next);
        }
    }
}
