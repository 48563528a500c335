using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>
/// Relative links as Clever returns them: self is the request as sent; next/prev keep every query
/// parameter (role, limit, filters) and swap in the cursor, so clients can follow them verbatim.
/// </summary>
internal readonly record struct PageLinks(string Self, string? Next, string? Prev)
{
    public static PageLinks For(HttpRequest request, string? firstId, string? lastId, bool hasPrev, bool hasNext, SimulatorOptions options)
    {
        // A page with records may carry links with nothing behind them (Clever's do, at least for prev).
        var dangling = options.LinksToEmptyPages;
        return new(
            SelfOf(request),
            (hasNext || dangling) && lastId is not null ? WithCursor(request, "starting_after", lastId, options.LinksKeepFilters) : null,
            (hasPrev || dangling) && firstId is not null ? WithCursor(request, "ending_before", firstId, options.LinksKeepFilters) : null);
    }

    public static string SelfOf(HttpRequest request) => request.Path.Value + request.QueryString.Value;

    private static string WithCursor(HttpRequest request, string cursor, string id, bool keepFilters)
    {
        var parts = new List<string>();
        foreach (var pair in keepFilters ? (request.QueryString.Value ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries) : [])
        {
            var key = Uri.UnescapeDataString(pair.Split('=', 2)[0]);
            if (key is "starting_after" or "ending_before") continue;
            parts.Add(pair);
        }
        parts.Add(cursor + "=" + Uri.EscapeDataString(id));
        return request.Path.Value + "?" + string.Join('&', parts);
    }
}
