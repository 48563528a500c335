using System.Runtime.CompilerServices;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Sync.Writing;

namespace CleverSyncSOS.Sync.Changes;

/// <summary>
/// The records one <see cref="ChangeAction.Filled"/> entry stands for, with their values when the filling run ended:
/// the table as it is now, worked back through the entity's later entries, newest first (a creation means the record
/// did not exist yet, a deletion gives its whole row, an update its old values). A later fill of the same table means
/// it was empty when that run began, so the walk starts there from an empty table. Only the records that later runs
/// touched are held in memory; the others are read from the table a page at a time.
/// </summary>
public sealed class FilledRecords
{
    private readonly RosterTableMap _map;
    private readonly Dictionary<string, Walk> _touched = new(StringComparer.Ordinal);
    private readonly bool _startsEmpty;

    /// <param name="later">The entity's change-log entries after the fill entry (any order).</param>
    public FilledRecords(RosterTableMap map, IEnumerable<ChangeLogEntry> later)
    {
        _map = map;
        var entries = later.OrderBy(e => e.ChangeId).ToList();
        var refill = entries.FindIndex(e => e.Action == ChangeAction.Filled);
        _startsEmpty = refill >= 0;
        for (var i = (_startsEmpty ? refill : entries.Count) - 1; i >= 0; i--)
        {
            var entry = entries[i];
            var walk = _touched.TryGetValue(entry.CleverId, out var known) ? known : _touched[entry.CleverId] = new Walk();
            walk.Back(map, entry);
        }
    }

    /// <summary>The records the fill created that later runs changed, deleted or created again (an undo is refused over them).</summary>
    public IEnumerable<string> ChangedLater => _touched.Where(t => t.Value.ExistedAtFill(_startsEmpty)).Select(t => t.Key);

    /// <summary>
    /// Every record the fill created with its values then, a page at a time: those still in the table (newest key first,
    /// in the database's order), then those deleted since (newest key first).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<object?[]>> PagesAsync(RosterTableWriter table, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        pageSize = Math.Max(1, pageSize);
        var gone = _touched.Where(t => t.Value.Row is not null).Select(t => t.Key).ToList();
        if (!_startsEmpty)
        {
            var present = await table.ReadRowsAsync(gone, cancellationToken);
            gone.RemoveAll(present.ContainsKey);
            string? before = null;
            while (true)
            {
                var page = await table.ReadPageDescendingAsync(before, pageSize, cancellationToken);
                if (page.Count == 0)
                {
                    break;
                }

                before = (string)page[^1].Values[0]!;
                var rows = page.Select(row => AtFill((string)row.Values[0]!, row.Values)).OfType<object?[]>().ToList();
                if (rows.Count > 0)
                {
                    yield return rows;
                }

                if (page.Count < pageSize)
                {
                    break;
                }
            }
        }

        gone.Sort(StringComparer.Ordinal);
        gone.Reverse();
        foreach (var keys in gone.Chunk(pageSize))
        {
            yield return keys.Select(key => _touched[key].Row!).ToList();
        }
    }

    /// <summary>The records of one Clever id the fill created (a student's id also finds their enrollments), with their values then.</summary>
    public async Task<IReadOnlyList<object?[]>> OfAsync(RosterTableWriter table, string cleverId, CancellationToken cancellationToken)
    {
        var current = _startsEmpty
            ? new Dictionary<string, object?[]>(StringComparer.Ordinal)
            : (await table.ReadRowsOfAsync(cleverId, cancellationToken)).ToDictionary(r => (string)r.Values[0]!, r => r.Values, StringComparer.Ordinal);
        return current.Keys.Union(_touched.Keys).Where(key => ChangeQuery.Names(cleverId, key)).Order(StringComparer.Ordinal)
            .Select(key => AtFill(key, current.GetValueOrDefault(key))).OfType<object?[]>().ToList();
    }

    /// <summary>A record's values when the fill ended, from its current row (null when it is not in the table now); null when it did not exist then.</summary>
    private object?[]? AtFill(string key, object?[]? current)
    {
        if (!_touched.TryGetValue(key, out var walk))
        {
            return _startsEmpty ? null : current;
        }

        return walk.Row ?? (walk.Absent || current is null || _startsEmpty ? null : walk.Apply(_map, current));
    }

    /// <summary>One record walked back through later entries: absent, a whole row (from a deletion), or old values over the current row.</summary>
    private sealed class Walk
    {
        private readonly Dictionary<string, object?> _old = new(StringComparer.Ordinal);

        public bool Absent { get; private set; }

        public object?[]? Row { get; private set; }

        public bool ExistedAtFill(bool startsEmpty) => Row is not null || (!Absent && !startsEmpty);

        public void Back(RosterTableMap map, ChangeLogEntry entry)
        {
            switch (entry.Action)
            {
                case ChangeAction.Created:
                    (Absent, Row) = (true, null);
                    _old.Clear();
                    break;
                case ChangeAction.Deleted:
                    (Absent, Row) = (false, ChangeValues.Row(map, ChangeValues.Read(entry.OldValues, map)));
                    _old.Clear();
                    break;
                case ChangeAction.Updated when Row is not null:
                    Row = ChangeValues.WithOld(map, Row, ChangeValues.Read(entry.OldValues, map));
                    break;
                case ChangeAction.Updated when !Absent:
                    foreach (var (name, value) in ChangeValues.Read(entry.OldValues, map))
                    {
                        _old[name] = value;
                    }

                    break;
            }
        }

        public object?[] Apply(RosterTableMap map, object?[] row) => ChangeValues.WithOld(map, row, _old);
    }
}
