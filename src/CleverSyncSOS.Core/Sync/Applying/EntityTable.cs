using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;

namespace CleverSyncSOS.Sync.Applying;

/// <summary>
/// One entity's table during one apply step: its writer, its size when the step began and what was written.
/// Private to the step that opened it; what leaves the step is the immutable <see cref="EntitySyncOutcome"/>.
/// </summary>
internal sealed class EntityTable : IAsyncDisposable
{
    private int _upserted;
    private int _processed;
    private int _failed;
    private int _deleted;
    private DateTime? _maxLastModified;
    private string? _warning;

    private EntityTable(SyncEntity entity, RosterTableMap map, RosterTableWriter writer, long countBefore)
    {
        Entity = entity;
        Map = map;
        Writer = writer;
        CountBefore = countBefore;
        Validator = new RecordValidator(map);
    }

    public SyncEntity Entity { get; }
    public RosterTableMap Map { get; }
    public RosterTableWriter Writer { get; }
    public RecordValidator Validator { get; }

    /// <summary>Rows in the table when the step began.</summary>
    public long CountBefore { get; }

    public bool Held => _warning is not null;

    public static async Task<EntityTable> OpenAsync(SyncEntity entity, SchoolTransaction transaction, CancellationToken cancellationToken)
    {
        var map = entity.Map(transaction.Model);
        var writer = transaction.Writer(map);
        return new EntityTable(entity, map, writer, await writer.CountAsync(cancellationToken));
    }

    public async Task UpsertAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        _upserted += await Writer.UpsertAsync(rows, cancellationToken);

    public void CountRead(int processed, int failed, DateTime? lastModified)
    {
        _processed += processed;
        _failed += failed;
        if (lastModified is { } v && (_maxLastModified is null || v > _maxLastModified))
        {
            _maxLastModified = v;
        }
    }

    public void CountDeleted(int deleted, bool countAsProcessed)
    {
        _deleted += deleted;
        if (countAsProcessed)
        {
            _processed += deleted;
        }
    }

    public void Hold(string warning) => _warning = warning;

    /// <summary>The entity's outcome: created and updated follow from the table's size before and after.</summary>
    public async Task<EntitySyncOutcome> OutcomeAsync(SyncType syncType, CancellationToken cancellationToken)
    {
        var created = (int)(await Writer.CountAsync(cancellationToken) - CountBefore + _deleted);
        return new EntitySyncOutcome(Entity.EntityType, syncType)
        {
            Processed = _processed,
            Failed = _failed,
            Created = created,
            Updated = _upserted - created,
            Deleted = _deleted,
            MaxLastModified = _maxLastModified,
            Warning = _warning,
        };
    }

    public ValueTask DisposeAsync() => Writer.DisposeAsync();
}
