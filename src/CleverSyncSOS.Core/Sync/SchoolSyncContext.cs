using System.Data.Common;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Sync;

/// <summary>
/// The state of one school's run: its database connection and the single transaction every write of the run
/// goes through (so a failure anywhere rolls back everything), the writers and validators per entity, and the
/// outcomes. Nothing in it is shared with another school's run.
/// </summary>
public sealed class SchoolSyncContext : IAsyncDisposable
{
    private readonly SchoolDbContext _db;
    private readonly DbConnection _connection;
    private DbTransaction _transaction;
    private readonly DatabaseProvider _provider;
    private readonly int _batchSize;
    private readonly DateTime _now;

    private SchoolSyncContext(SchoolSyncTarget target, SyncRequest request, SchoolDbContext db, DbConnection connection, DbTransaction transaction,
        DatabaseProvider provider, int batchSize, DateTime now, IReadOnlyList<EntitySyncOutcome> outcomes)
    {
        Target = target;
        Request = request;
        _db = db;
        _connection = connection;
        _transaction = transaction;
        _provider = provider;
        _batchSize = batchSize;
        _now = now;
        Outcomes = outcomes;
        Entities = RosterEntity.All.Select(e => new EntityWork(e, e.Map(db.Model), outcomes.Single(o => o.EntityType == e.EntityType))).ToList();
        CreateWriters();
    }

    public SchoolSyncTarget Target { get; }
    public SyncRequest Request { get; }
    public string CleverSchoolId => Target.School.CleverSchoolId;
    public IReadOnlyList<EntitySyncOutcome> Outcomes { get; }
    public IReadOnlyList<EntityWork> Entities { get; }

    public static async Task<SchoolSyncContext> OpenAsync(SchoolSyncTarget target, SyncRequest request, SchoolDbContext db,
        DatabaseProvider provider, int batchSize, DateTime now, IReadOnlyList<EntitySyncOutcome> outcomes, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        if (provider == DatabaseProvider.Sqlite)
        {
            await using var pragma = connection.CreateCommand();
            // Per connection: fewer fsyncs (WAL keeps it durable across crashes) and a bounded page cache.
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        return new SchoolSyncContext(target, request, db, connection, transaction, provider, batchSize, now, outcomes);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    /// <summary>Undoes every write of the run and starts a fresh transaction (for the fallback re-read).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await DisposeWritersAsync();
        await _transaction.RollbackAsync(cancellationToken);
        await _transaction.DisposeAsync();
        _transaction = await _connection.BeginTransactionAsync(cancellationToken);
        foreach (var work in Entities)
        {
            work.Outcome.Reset();
            work.CountBefore = 0;
            work.Upserted = 0;
        }

        CreateWriters();
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeWritersAsync();
        await _transaction.DisposeAsync(); // rolls back when not committed
        await _db.DisposeAsync();
    }

    private void CreateWriters()
    {
        var dialect = SqlDialect.For(_provider);
        foreach (var work in Entities)
        {
            work.Writer = new RosterTableWriter(_connection, _transaction, dialect, work.Map, _batchSize, _now);
        }
    }

    private async Task DisposeWritersAsync()
    {
        foreach (var work in Entities)
        {
            if (work.Writer is not null)
            {
                await work.Writer.DisposeAsync();
            }
        }
    }

    /// <summary>One entity's share of the run.</summary>
    public sealed class EntityWork(RosterEntity entity, RosterTableMap map, EntitySyncOutcome outcome)
    {
        public RosterEntity Entity { get; } = entity;
        public RosterTableMap Map { get; } = map;
        public EntitySyncOutcome Outcome { get; } = outcome;
        public RecordValidator Validator { get; } = new(map);
        public RosterTableWriter Writer { get; set; } = null!;

        /// <summary>Rows in the table when the run began.</summary>
        public long CountBefore { get; set; }

        /// <summary>Rows the upserts inserted or changed.</summary>
        public int Upserted { get; set; }

        /// <summary>Splits the upserted rows into created and updated from the table's size before and after.</summary>
        public void SetCreatedAndUpdated(long countAfter)
        {
            Outcome.Created = (int)(countAfter - CountBefore + Outcome.Deleted);
            Outcome.Updated = Upserted - Outcome.Created;
        }
    }
}
