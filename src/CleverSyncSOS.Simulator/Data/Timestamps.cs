using System.Globalization;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>Clever's timestamp format: UTC with milliseconds, e.g. 2024-09-12T08:00:00.000Z.</summary>
internal static class Timestamps
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The same text as <see cref="Format"/> in 24 ASCII bytes, digit by digit: a 10,000-user page writes 20,000 of
    /// them, and the custom format string (then the string's transcoding) was a large share of the simulator's CPU.
    /// </summary>
    public static ReadOnlySpan<byte> FormatUtf8(DateTimeOffset value, Span<byte> destination)
    {
        var t = value.UtcDateTime;
        Span<int> fields = [t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.Millisecond];
        "0000-00-00T00:00:00.000Z"u8.CopyTo(destination);
        for (var i = 0; i < fields.Length; i++)
        {
            Digits(destination.Slice(FieldStarts[i], FieldWidths[i]), fields[i]);
        }

        return destination[..24];
    }

    // Where year, month, day, hour, minute, second and millisecond sit in the 24 bytes, and how many digits each has.
    private static ReadOnlySpan<byte> FieldStarts => [0, 5, 8, 11, 14, 17, 20];

    private static ReadOnlySpan<byte> FieldWidths => [4, 2, 2, 2, 2, 2, 3];

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
