namespace CleverSyncSOS.Sync.Events;

/// <summary>
/// One event of a district's stream, parsed once for every school that applies it. <see cref="Record"/> is null for
/// an event of a type no entity syncs, or one that cannot be read; the event still counts as a position a cursor may name.
/// </summary>
public sealed record DistrictEvent(string? Id, string? RecordType, string? Kind, object? Record)
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
    /// The events after <paramref name="cursor"/>; null when this stream cannot say (the cursor lies outside it, or
    /// the stream overflowed): the caller must not guess, as a guess could skip events.
    /// </summary>
    public IReadOnlyList<DistrictEvent>? After(string cursor)
    {
        if (Overflowed)
        {
            return null;
        }

        if (cursor == Start)
        {
            return _events;
        }

        if (cursor == Last)
        {
            return [];
        }

        return _positions.TryGetValue(cursor, out var at) ? _events.Skip(at + 1).ToList() : null;
    }
}
