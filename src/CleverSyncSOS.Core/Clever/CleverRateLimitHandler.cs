using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Paces requests per bearer token from Clever's X-Ratelimit-* headers: when few requests are left in the
/// window, the rest are spread over the time to X-Ratelimit-Reset so the sync slows down instead of
/// hitting 429s. (The retry handler outside this one waits for the reset when a 429 comes anyway.)
/// Headers are hostile input like any other: absent, several comma-separated buckets, or values out of range
/// are read as far as they make sense and never fail a request.
/// </summary>
public sealed class CleverRateLimitHandler(IOptions<CleverApiOptions> options, TimeProvider time) : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, WindowState> _windows = new(StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = request.Headers.Authorization?.Parameter;
        if (key is not null && _windows.TryGetValue(key, out var window) && PacingDelay(window) is { } delay)
        {
            Observability.CleverSyncTelemetry.RateLimitWaits.Add(1);
            await Task.Delay(delay, time, cancellationToken);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (key is not null && Read(response) is { } observed)
        {
            _windows[key] = observed;
        }

        return response;
    }

    private TimeSpan? PacingDelay(WindowState window)
    {
        var now = time.GetUtcNow();
        var untilReset = window.Reset - now;
        if (untilReset <= TimeSpan.Zero || window.Remaining > window.Limit * options.Value.RateLimitSlowDownShare)
        {
            return null;
        }

        // Spread what is left evenly over the rest of the window; a reset further away than a window is not believed.
        var windowLength = TimeSpan.FromSeconds(options.Value.RateLimitWindowSeconds);
        return (untilReset < windowLength ? untilReset : windowLength) / Math.Max(1, window.Remaining + 1);
    }

    /// <summary>The reset time of the bucket paced on, for the retry delay of a 429; null when absent or unreadable.</summary>
    public static DateTimeOffset? ReadReset(HttpResponseMessage response) =>
        Bucket(response) is { } bucket ? ParseReset(Value(response, "X-Ratelimit-Reset", bucket)) : null;

    private static WindowState? Read(HttpResponseMessage response) =>
        Bucket(response) is { } bucket
        && int.TryParse(Value(response, "X-Ratelimit-Limit", bucket), NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && limit > 0
        && int.TryParse(Value(response, "X-Ratelimit-Remaining", bucket), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining) && remaining >= 0
        && ParseReset(Value(response, "X-Ratelimit-Reset", bucket)) is { } reset
            ? new WindowState(limit, remaining, reset)
            : null;

    /// <summary>
    /// Which of several comma-separated buckets applies: the one named "bearer" (the token's own limit), else the
    /// one with the fewest requests left, else the first.
    /// </summary>
    private static int? Bucket(HttpResponseMessage response)
    {
        if (!response.Headers.Contains("X-Ratelimit-Reset"))
        {
            return null;
        }

        var names = Values(response, "X-Ratelimit-Bucket");
        var bearer = Array.FindIndex(names, n => n.Equals("bearer", StringComparison.OrdinalIgnoreCase));
        if (bearer >= 0)
        {
            return bearer;
        }

        var remaining = Values(response, "X-Ratelimit-Remaining");
        var fewest = 0;
        for (var i = 1; i < remaining.Length; i++)
        {
            if (long.TryParse(remaining[i], CultureInfo.InvariantCulture, out var left)
                && (!long.TryParse(remaining[fewest], CultureInfo.InvariantCulture, out var least) || left < least))
            {
                fewest = i;
            }
        }

        return fewest;
    }

    private static DateTimeOffset? ParseReset(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
        && seconds >= 0 && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static string? Value(HttpResponseMessage response, string header, int bucket)
    {
        var values = Values(response, header);
        return bucket < values.Length ? values[bucket] : null;
    }

    private static string[] Values(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values)
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToArray()
            : [];

    private sealed record WindowState(int Limit, int Remaining, DateTimeOffset Reset);
}
