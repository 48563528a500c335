using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Paces requests per bearer token from Clever's X-Ratelimit-* headers: when few requests are left in the
/// window, the rest are spread over the time to X-Ratelimit-Reset so the sync slows down instead of
/// hitting 429s. (The retry handler outside this one waits for the reset when a 429 comes anyway.)
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

        // Spread what is left evenly over the rest of the window.
        return untilReset / Math.Max(1, window.Remaining + 1);
    }

    /// <summary>The reset time of a 429 response, for the retry delay; null when the header is absent.</summary>
    public static DateTimeOffset? ReadReset(HttpResponseMessage response) =>
        First(response, "X-Ratelimit-Reset") is { } reset && long.TryParse(reset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static WindowState? Read(HttpResponseMessage response) =>
        First(response, "X-Ratelimit-Limit") is { } limit && First(response, "X-Ratelimit-Remaining") is { } remaining && ReadReset(response) is { } reset
        && int.TryParse(limit, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
        && int.TryParse(remaining, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r)
            ? new WindowState(l, r, reset)
            : null;

    // Clever may list several comma-separated buckets; the first is the bearer bucket.
    private static string? First(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? values.FirstOrDefault()?.Split(',')[0].Trim() : null;

    private sealed record WindowState(int Limit, int Remaining, DateTimeOffset Reset);
}
