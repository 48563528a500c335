using System.Data.Common;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CleverSyncSOS.Sync.Applying;

/// <summary>
/// One school's database connection and the single transaction every write of a run goes through, so a
/// failure anywhere rolls back everything. Nothing in it is shared with another school's run.
/// </summary>
public sealed class SchoolTransaction : IAsyncDisposable
{
    private readonly SchoolDbContext _db;
    private readonly DbConnection _connection;
    private readonly SqlDialect _dialect;
    private readonly int _batchSize;
    private readonly DbTransaction _transaction;

    private SchoolTransaction(SchoolDbContext db, DbConnection connection, DbTransaction transaction, DatabaseProvider provider, int batchSize, DateTime now,
        int copyMinRows)
    {
        _db = db;
        _connection = connection;
        _transaction = transaction;
        _dialect = SqlDialect.For(provider, copyMinRows);
        _batchSize = batchSize;
        Provider = provider;
        Now = now;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The run's timestamp: CreatedAt/UpdatedAt/DeactivatedAt of every row it writes.</summary>
    public DateTime Now { get; }

    public IModel Model => _db.Model;

    public DbConnection Connection => _connection;

    public DbTransaction Transaction => _transaction;

    public SqlDialect Dialect => _dialect;

    /// <summary>
    /// A SQLite school database connection's settings for a run. FULL: the run's commit is on disk before SessionDb
    /// records the run and moves the school's event cursor. With NORMAL a power cut could undo a small run's commit (WAL
    /// survives a process crash, not an OS one) while the cursor stayed past its events: changes lost until the next full
    /// sync. It costs one fsync per run; a large run's commit is flushed by its checkpoint anyway. The page cache is
    /// bounded per connection. Public so that the benchmark's baselines write with the same settings.
    /// </summary>
    public const string SqliteRunSettings = "PRAGMA synchronous=FULL; PRAGMA cache_size=-32768;";

    /// <param name="copyMinRows">PostgreSQL: write batches of at least this many rows go by binary COPY; 0 never.</param>
    public static async Task<SchoolTransaction> OpenAsync(SchoolDbContext db, DatabaseProvider provider, int batchSize, DateTime now, CancellationToken cancellationToken,
        int copyMinRows = PostgreSqlDialect.DefaultCopyMinRows)
    {
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            if (provider == DatabaseProvider.Sqlite)
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = SqliteRunSettings;
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new SchoolTransaction(db, connection, transaction, provider, batchSize, now, copyMinRows);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>A bulk writer for one table inside this transaction; the caller disposes it.</summary>
    public RosterTableWriter Writer(RosterTableMap map) => new(_connection, _transaction, _dialect, map, _batchSize, Now);

    /// <summary>Commits the run (a span of its own in traces: on SQLite it includes the WAL's sync and, after a large run, its checkpoint).</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        using var activity = Observability.CleverSyncTelemetry.ActivitySource.StartActivity("CommitSchool");
        await _transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        using var activity = Observability.CleverSyncTelemetry.ActivitySource.StartActivity("CloseSchool");
        await _transaction.DisposeAsync(); // rolls back when not committed
        // A school's database is synced once a run: a pooled connection would only keep its page cache (SQLite) or a
        // server connection (PostgreSQL) alive per school, and a fleet's memory and connections would grow with its size.
        switch (_connection)
        {
            case Microsoft.Data.Sqlite.SqliteConnection sqlite:
                Microsoft.Data.Sqlite.SqliteConnection.ClearPool(sqlite);
                break;
            case Npgsql.NpgsqlConnection postgres:
                Npgsql.NpgsqlConnection.ClearPool(postgres);
                break;
        }

        await _db.DisposeAsync();
    }
}
