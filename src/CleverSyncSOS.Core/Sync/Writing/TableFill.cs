namespace CleverSyncSOS.Sync.Writing;

/// <summary>
/// The keys written so far into a table that was empty when its step began, remembered by hash code: a row whose key's
/// hash was never written is surely not in the table, so it can be inserted without an upsert. Two keys that share a
/// hash send the second one through the upsert, which is only slower, and a hash takes about 16 bytes a key where the
/// key itself would take about 70 (a million-student school: 16 MB).
/// </summary>
internal sealed class TableFill
{
    private readonly HashSet<int> _written = [];

    /// <summary>Remembers the keys of <paramref name="rows"/> (distinct keys) and splits them: surely new, or possibly written before.</summary>
    public (List<object?[]> New, List<object?[]> Again) Split(IReadOnlyCollection<object?[]> rows)
    {
        var fresh = new List<object?[]>(rows.Count);
        var again = new List<object?[]>();
        foreach (var row in rows)
        {
            (_written.Add(HashOf(row)) ? fresh : again).Add(row);
        }

        return (fresh, again);
    }

    /// <summary>Remembers the keys of rows written another way (a batch too small for COPY).</summary>
    public void Remember(IEnumerable<object?[]> rows)
    {
        foreach (var row in rows)
        {
            _written.Add(HashOf(row));
        }
    }

    private static int HashOf(object?[] row) => StringComparer.Ordinal.GetHashCode((string)row[0]!);
}
