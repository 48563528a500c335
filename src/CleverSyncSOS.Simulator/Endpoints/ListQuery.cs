using System.Globalization;
using CleverSyncSOS.Simulator.Data;
using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>A request error to report as <c>{"message": ...}</c> with this status.</summary>
internal sealed record ApiError(int Status, string Message);

/// <summary>The paging parameters every list endpoint accepts: limit, starting_after, ending_before.</summary>
internal sealed record ListQuery(int Limit, string? StartingAfter, string? EndingBefore)
{
    public const int DefaultLimit = 100;
    public const string LastSentinel = "last";

    public string? CursorId => StartingAfter ?? (EndingBefore == LastSentinel ? null : EndingBefore);

    /// <summary>The parameters Clever lists for its list endpoints; events add their filters.</summary>
    private static readonly HashSet<string> Known = ["limit", "starting_after", "ending_before", "count", "role", "primary"];
    private static readonly HashSet<string> KnownForEvents = [.. Known, "school", "record_type"];

    /// <summary>The first query parameter the endpoint does not know, if any.</summary>
    public static string? UnknownParameter(HttpRequest request, bool events) =>
        request.Query.Keys.FirstOrDefault(k => !(events ? KnownForEvents : Known).Contains(k));

    public static ListQuery? Parse(HttpRequest request, int maxPageSize, out ApiError? error)
    {
        error = null;
        var limit = Math.Min(DefaultLimit, maxPageSize);
        var rawLimit = request.Query["limit"].ToString();
        if (rawLimit.Length > 0)
        {
            if (!int.TryParse(rawLimit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit <= 0)
            {
                // Digits too long for int are still "too large", not "invalid".
                error = rawLimit.All(char.IsAsciiDigit) && rawLimit.TrimStart('0').Length > 0
                    ? new ApiError(StatusCodes.Status413PayloadTooLarge, $"limit must be at most {maxPageSize}")
                    : new ApiError(StatusCodes.Status400BadRequest, "invalid limit");
                return null;
            }
            if (limit > maxPageSize)
            {
                error = new ApiError(StatusCodes.Status413PayloadTooLarge, $"limit must be at most {maxPageSize}");
                return null;
            }
        }

        var after = NullIfEmpty(request.Query["starting_after"].ToString());
        var before = NullIfEmpty(request.Query["ending_before"].ToString());
        if (after is not null && before is not null)
        {
            error = new ApiError(StatusCodes.Status400BadRequest, "starting_after and ending_before cannot be combined");
            return null;
        }
        return new ListQuery(limit, after, before);
    }

    /// <summary>Turns the cursor into a position; <paramref name="keyOf"/> returns null for an unusable cursor.</summary>
    public PageRequest? ToPageRequest(Func<string, long?> keyOf, out ApiError? error, EndingBeforeLastAnswer last = EndingBeforeLastAnswer.Supported)
    {
        error = null;
        if (EndingBefore == LastSentinel)
        {
            switch (last)
            {
                case EndingBeforeLastAnswer.Supported:
                    return PageRequest.Last(Limit);
                case EndingBeforeLastAnswer.Ignored:
                    return new PageRequest(Limit, CursorMode.First, 0);
                default:
                    error = new ApiError(StatusCodes.Status400BadRequest, "invalid ending_before");
                    return null;
            }
        }
        var cursor = StartingAfter ?? EndingBefore;
        if (cursor is null) return new PageRequest(Limit, CursorMode.First, 0);
        if (keyOf(cursor) is not long key)
        {
            error = new ApiError(StatusCodes.Status400BadRequest, $"invalid {(StartingAfter is not null ? "starting_after" : "ending_before")}");
            return null;
        }
        return new PageRequest(Limit, StartingAfter is not null ? CursorMode.After : CursorMode.Before, key);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
