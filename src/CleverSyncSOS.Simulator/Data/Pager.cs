namespace CleverSyncSOS.Simulator.Data;

internal enum CursorMode
{
    First,
    After,
    Before,
}

/// <summary>A parsed list request: page size and where the page starts (cursor keys are id counters).</summary>
internal readonly record struct PageRequest(int Limit, CursorMode Mode, long Key)
{
    /// <summary>ending_before=last: the newest records.</summary>
    public static PageRequest Last(int limit) => new(limit, CursorMode.Before, long.MaxValue);
}

/// <summary>One page and whether matching records exist on either side (drives prev/next links).</summary>
internal sealed record PageResult<T>(List<T> Items, bool HasPrev, bool HasNext);

/// <summary>Id-cursor paging over a list sorted by ascending key, as Clever pages (starting_after / ending_before).</summary>
internal static class Pager
{
    public static PageResult<T> Take<T>(IReadOnlyList<T> sorted, Func<T, long> key, Func<T, bool> match, PageRequest request)
    {
        var items = new List<T>(Math.Min(request.Limit, 1024));
        if (request.Mode == CursorMode.Before)
        {
            // Walk backwards from just below the cursor, then restore ascending order.
            var i = FirstIndexAbove(sorted, key, request.Key - 1) - 1;
            var lastTaken = -1;
            for (; i >= 0 && items.Count < request.Limit; i--)
            {
                if (!match(sorted[i])) continue;
                if (lastTaken < 0) lastTaken = i;
                items.Add(sorted[i]);
            }
            items.Reverse();
            var hasPrev = AnyMatch(sorted, match, i, -1);
            var hasNext = lastTaken >= 0 && AnyMatch(sorted, match, lastTaken + 1, +1);
            return new PageResult<T>(items, hasPrev, hasNext);
        }
        else
        {
            var start = request.Mode == CursorMode.First ? 0 : FirstIndexAbove(sorted, key, request.Key);
            var i = start;
            var firstTaken = -1;
            for (; i < sorted.Count && items.Count < request.Limit; i++)
            {
                if (!match(sorted[i])) continue;
                if (firstTaken < 0) firstTaken = i;
                items.Add(sorted[i]);
            }
            var hasNext = AnyMatch(sorted, match, i, +1);
            var hasPrev = firstTaken >= 0 && AnyMatch(sorted, match, firstTaken - 1, -1);
            return new PageResult<T>(items, hasPrev, hasNext);
        }
    }

    /// <summary>Index of the first element whose key is greater than <paramref name="value"/> (binary search).</summary>
    public static int FirstIndexAbove<T>(IReadOnlyList<T> sorted, Func<T, long> key, long value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (key(sorted[mid]) <= value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static bool AnyMatch<T>(IReadOnlyList<T> sorted, Func<T, bool> match, int from, int step)
    {
        for (var i = from; i >= 0 && i < sorted.Count; i += step)
        {
            if (match(sorted[i])) return true;
        }
        return false;
    }
}
