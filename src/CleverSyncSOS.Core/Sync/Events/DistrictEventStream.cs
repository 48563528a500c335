namespace CleverSyncSOS.Sync.Events;

/// <summary>
/// One event of a district's stream, parsed once for every school that applies it. <see cref="Record"/> is null for
/// an event of a type no entity syncs, or one that cannot be read; the event still counts as a position a cursor may name.
/// <see cref="Schools"/> are the schools it may concern (null: any school; see <c>DistrictEventReader</c>).
/// </summary>
public sealed record DistrictEvent(string? Id, string? RecordType, string? Kind, object? Record, IReadOnlyList<string>? Schools = null)
{
    public bool IsDeletion => Kind == "deleted";
}

/// <summary>
/// The events of one district after <see cref="Start"/>, as read once for a run, oldest first. Each school applies the
/// part after its own cursor (<see cref="After"/>). Held in memory up to <see cref="SyncOptions.MaxBufferedEvents"/>;
/// beyond that nothing is kept (<see cref="Overflowed"/>) and the schools compare a full read instead, the read having
/// gone on to the end so that <see cref="Last"/> is still the newest event.
/// </summary>
public sealed class DistrictEventStream
{
    private readonly IReadOnlyList<DistrictEvent> _events;
    private readonly Dictionary<string, int> _positions;

    // Positions of the events that may concern a school, by school, and of those that may concern any school: built
    // once, so that each school of a large district looks only at its own events (a run costs events + schools, not
    // events × schools).
    private readonly Dictionary<string, List<int>> _bySchool = new(StringComparer.Ordinal);
    private readonly List<int> _anySchool = [];

    public DistrictEventStream(string start, string last, IReadOnlyList<DistrictEvent> events, bool overflowed, int read)
    {
        Start = start;
        Last = last;
        _events = events;
        Overflowed = overflowed;
        Read = read;
        _positions = new Dictionary<string, int>(events.Count, StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Id is { Length: > 0 } id)
            {
                _positions[id] = i;
            }

            if (events[i].Schools is not { } schools)
            {
                _anySchool.Add(i);
                continue;
            }

            foreach (var school in schools)
            {
                if (!_bySchool.TryGetValue(school, out var positions))
                {
                    _bySchool[school] = positions = [];
                }

                if (positions.Count == 0 || positions[^1] != i)
                {
                    positions.Add(i);
                }
            }
        }
    }

    /// <summary>The cursor the stream was read after ("" = from the oldest event kept).</summary>
    public string Start { get; }

    /// <summary>The newest event read (the next cursor of every school that applied the stream); <see cref="Start"/> when none.</summary>
    public string Last { get; }

    public bool Overflowed { get; }

    /// <summary>Events read from Clever, kept or not.</summary>
    public int Read { get; }

    /// <summary>Whether a school whose cursor is <paramref name="cursor"/> finds what it has not applied here.</summary>
    public bool Covers(string cursor) => cursor == Start || cursor == Last || _positions.ContainsKey(cursor);

    /// <summary>
    /// The events after <paramref name="cursor"/> that may concern the school <paramref name="cleverSchoolId"/>, oldest
    /// first (empty: nothing to apply, only the cursor to move); null when this stream cannot say (the cursor lies
    /// outside it, or the stream overflowed): the caller must not guess, as a guess could skip events.
    /// </summary>
    public IReadOnlyList<DistrictEvent>? After(string cursor, string cleverSchoolId)
    {
        if (Overflowed)
        {
            return null;
        }

        int from;
        if (cursor == Start)
        {
            from = 0;
        }
        else if (cursor == Last)
        {
            return [];
        }
        else if (_positions.TryGetValue(cursor, out var at))
        {
            from = at + 1;
        }
        else
        {
            return null;
        }

        return Merge(_bySchool.GetValueOrDefault(cleverSchoolId) ?? [], _anySchool, from);
    }

    /// <summary>The events at two ascending position lists from <paramref name="from"/> on, in stream order.</summary>
    private List<DistrictEvent> Merge(List<int> own, List<int> any, int from)
    {
        var i = LowerBound(own, from);
        var j = LowerBound(any, from);
        var merged = new List<DistrictEvent>(own.Count - i + any.Count - j);
        while (i < own.Count || j < any.Count)
        {
            merged.Add(_events[j >= any.Count || (i < own.Count && own[i] < any[j]) ? own[i++] : any[j++]]);
        }

        return merged;
    }

    private static int LowerBound(List<int> positions, int from)
    {
        var at = positions.BinarySearch(from);
        return at >= 0 ? at : ~at;
    }
}
