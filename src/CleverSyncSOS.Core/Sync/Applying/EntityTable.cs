using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Changes;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;

namespace CleverSyncSOS.Sync.Applying;

/// <summary>
/// One entity's table during one apply step: every write goes through here, so the change log sees each
/// record's change and a dry run writes nothing. Private to the step that opened it; what leaves the step is the
/// immutable <see cref="EntitySyncOutcome"/>.
/// </summary>
internal sealed class EntityTable : IAsyncDisposable
{
    private const int ExamplesPerAction = 3;
    private readonly ApplyMode _mode;
    private readonly List<RecordChange> _examples = [];
    private readonly List<FailedRecord> _failures = [];
    private int _upserted;
    private int _created;
    private int _updated;
    private int _processed;
    private int _failed;
    private int _deleted;
    private DateTime? _maxLastModified;
    private string? _warning;

    // A table empty when the step began (a school's first sync) is logged as one Filled entry when the step ends, not
    // record by record: it is written like an unlogged table, and what it created is what it holds at the end.
    private readonly bool _logsFill;

    /// <summary>Whether each record's change is worked out (read before written): for a record-by-record log and for dry runs.</summary>
    private bool TracksChanges => _mode.TracksChanges && !_logsFill;

    private EntityTable(SyncEntity entity, RosterTableMap map, RosterTableWriter writer, long countBefore, ApplyMode mode)
    {
        Entity = entity;
        Map = map;
        Writer = writer;
        CountBefore = countBefore;
        Validator = new RecordValidator(map);
        _mode = mode;
        _logsFill = countBefore == 0 && mode is { DryRun: false, ChangeLog: not null };
    }

    public SyncEntity Entity { get; }
    public RosterTableMap Map { get; }
    public RosterTableWriter Writer { get; }
    public RecordValidator Validator { get; }

    /// <summary>Rows in the table when the step began.</summary>
    public long CountBefore { get; }

    public bool Held => _warning is not null;

    public static async Task<EntityTable> OpenAsync(SyncEntity entity, SchoolTransaction transaction, ApplyMode mode, CancellationToken cancellationToken)
    {
        var map = entity.Map(transaction.Model);
        var writer = transaction.Writer(map);
        var countBefore = await writer.CountAsync(cancellationToken);
        if (countBefore == 0 && !mode.DryRun)
        {
            writer.StartFill();
        }

        return new EntityTable(entity, map, writer, countBefore, mode);
    }

    public async Task UpsertAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (!TracksChanges)
        {
            if (_logsFill)
            {
                KeepCreatedExamples(rows);
            }

            _upserted += await Writer.UpsertAsync(rows, cancellationToken);
            return;
        }

        // The last row of a key wins, as in the writer.
        var latest = new Dictionary<string, object?[]>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            latest[(string)row[0]!] = row;
        }

        if (CountBefore == 0)
        {
            // A dry run of an empty table: every row would be new, and there is nothing stored to compare with.
            _created += latest.Count;
            KeepCreatedExamples(latest.Values);
            return;
        }

        var stored = await Writer.ReadRowsAsync(latest.Keys, cancellationToken);
        var changes = latest.Values.Select(row => RowDiff.Compare(Entity.EntityType, Map, stored.GetValueOrDefault((string)row[0]!), row))
            .OfType<RecordChange>().ToList();
        if (!_mode.DryRun)
        {
            _upserted += await Writer.UpsertAsync(rows, cancellationToken);
        }

        await RecordAsync(changes, cancellationToken);
    }

    private void KeepCreatedExamples(IEnumerable<object?[]> rows)
    {
        foreach (var row in rows.Take(ExamplesPerAction - _examples.Count(e => e.Action == ChangeAction.Created)))
        {
            _examples.Add(RowDiff.Compare(Entity.EntityType, Map, null, row)!);
        }
    }

    /// <summary>Which of <paramref name="keys"/> the table holds.</summary>
    public async Task<HashSet<string>> HeldAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        (await Writer.ReadRowsAsync(keys, cancellationToken)).Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>The seed's full-sync rule for the records the read did not see (deactivate, then delete).</summary>
    public async Task DeleteMissingAsync(CancellationToken cancellationToken)
    {
        if (!TracksChanges)
        {
            _deleted += await Writer.DeactivateAndDeleteMissingAsync(cancellationToken);
            return;
        }

        var missing = await Writer.ReadMissingRowsAsync(cancellationToken);
        if (!_mode.DryRun)
        {
            await Writer.DeactivateAndDeleteMissingAsync(cancellationToken);
        }

        await RecordAsync(missing.Select(row => RowDiff.Deleted(Entity.EntityType, Map, row)).ToList(), cancellationToken);
    }

    /// <summary>Deletes records by key (deleted events); they count as processed.</summary>
    public async Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        if (!TracksChanges)
        {
            CountDeleted(await Writer.DeleteAsync(keys, cancellationToken));
            return;
        }

        var stored = await Writer.ReadRowsAsync(keys, cancellationToken);
        if (!_mode.DryRun)
        {
            await Writer.DeleteAsync(keys, cancellationToken);
        }

        _processed += stored.Count;
        await RecordAsync(stored.Values.Select(row => RowDiff.Deleted(Entity.EntityType, Map, row)).ToList(), cancellationToken);
    }

    /// <summary>Deletes a group's rows (a section's enrollments) other than <paramref name="keep"/>; they count as processed.</summary>
    public async Task DeleteGroupExceptAsync(string group, IReadOnlyList<string> keep, CancellationToken cancellationToken)
    {
        if (!TracksChanges)
        {
            CountDeleted(await Writer.DeleteGroupExceptAsync(group, keep, cancellationToken));
            return;
        }

        var kept = keep.ToHashSet(StringComparer.Ordinal);
        var gone = (await Writer.ReadGroupRowsAsync(group, cancellationToken)).Where(r => !kept.Contains((string)r.Values[0]!)).ToList();
        if (gone.Count > 0 && !_mode.DryRun)
        {
            await Writer.DeleteGroupExceptAsync(group, keep, cancellationToken);
        }

        _processed += gone.Count;
        await RecordAsync(gone.Select(row => RowDiff.Deleted(Entity.EntityType, Map, row)).ToList(), cancellationToken);
    }

    public void CountRead(int processed, int failed, DateTime? lastModified)
    {
        _processed += processed;
        _failed += failed;
        if (lastModified is { } v && (_maxLastModified is null || v > _maxLastModified))
        {
            _maxLastModified = v;
        }
    }

    public void Hold(string warning) => _warning = warning;

    /// <summary>Keeps the id and reason of skipped records (the first few; <see cref="CountRead"/> counts them all).</summary>
    public void KeepFailures(IEnumerable<FailedRecord> failures)
    {
        foreach (var failure in failures)
        {
            FailedRecord.Keep(_failures, failure.CleverId, failure.Reason);
        }
    }

    /// <summary>
    /// The entity's outcome, at the end of its step. Without change tracking, created and updated follow from the table's
    /// size before and after. A filled table's one change-log entry is written here, once its last row is.
    /// </summary>
    public async Task<EntitySyncOutcome> OutcomeAsync(SyncType syncType, CancellationToken cancellationToken)
    {
        var countAfter = TracksChanges ? 0 : await Writer.CountAsync(cancellationToken);
        var created = TracksChanges ? _created : (int)(countAfter - CountBefore + _deleted);
        if (_logsFill && countAfter > 0)
        {
            await _mode.ChangeLog!.AppendFilledAsync(Entity.EntityType, countAfter, cancellationToken);
        }

        return new EntitySyncOutcome(Entity.EntityType, syncType)
        {
            Processed = _processed,
            Failed = _failed,
            Created = created,
            Updated = TracksChanges ? _updated : _upserted - created,
            Deleted = _deleted,
            MaxLastModified = _maxLastModified,
            Warning = _warning,
            Examples = _examples,
            FailedRecords = _failures,
        };
    }

    public ValueTask DisposeAsync() => Writer.DisposeAsync();

    private void CountDeleted(int deleted)
    {
        _deleted += deleted;
        _processed += deleted;
    }

    private async Task RecordAsync(IReadOnlyList<RecordChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            switch (change.Action)
            {
                case ChangeAction.Created: _created++; break;
                case ChangeAction.Updated: _updated++; break;
                default: _deleted++; break;
            }

            if (_examples.Count(e => e.Action == change.Action) < ExamplesPerAction)
            {
                _examples.Add(change);
            }
        }

        if (!_mode.DryRun && _mode.ChangeLog is { } log && changes.Count > 0)
        {
            await log.AppendAsync(changes, cancellationToken);
        }
    }
}
