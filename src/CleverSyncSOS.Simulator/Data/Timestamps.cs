using System.Globalization;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>Clever's timestamp format: UTC with milliseconds, e.g. 2024-09-12T08:00:00.000Z.</summary>
internal static class Timestamps
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The same text as <see cref="Format"/> in 24 ASCII bytes, digit by digit: a 10,000-user page writes 20,000 of
    /// them, and the custom format string cost the simulator more than the rest of a user's JSON.
    /// </summary>
    public static ReadOnlySpan<byte> FormatUtf8(DateTimeOffset value, Span<byte> destination)
    {
        var t = value.UtcDateTime;
        Digits(destination[..4], t.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), t.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), t.Day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), t.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), t.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), t.Second);
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 3), t.Millisecond);
        destination[23] = (byte)'Z';
        return destination[..24];
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
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
