using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CleverSyncSOS.Tests.Databases;

/// <summary>
/// Every school's first sync in a process checks its database's migrations. On PostgreSQL a current database must only
/// be read: EF Core's Migrate would lock the history table exclusively and commit, so the check would queue behind
/// anyone reading that table (and cost a round trip and a commit before each school's reading begins).
/// </summary>
public sealed class PostgresMigrationCheckTests : IAsyncLifetime
{
    /// <summary>Longer than a check takes on a loaded machine; EF Core's exclusive lock would wait here until the reader ends.</summary>
    private static readonly TimeSpan Blocked = TimeSpan.FromSeconds(20);

    private readonly string _database = $"cs_migcheck_{Guid.NewGuid():N}"[..32];

    private string ConnectionString => new NpgsqlConnectionStringBuilder(TestDatabases.PostgresServer) { Database = _database }.ToString();

    private SchoolDbContext Open() =>
        new(new DbContextOptionsBuilder<SchoolDbContext>().UseProvider(DatabaseProvider.PostgreSql, ConnectionString).Options);

    [Fact]
    public async Task A_current_database_is_checked_without_waiting_for_a_reader_of_its_history_and_a_behind_one_is_migrated()
    {
        if (TestDatabases.PostgresServer is null)
        {
            return; // PostgreSQL only; CI always names a server (TestDatabases).
        }

        // A database that does not exist yet is created and migrated, as EF Core's Migrate does.
        await using (var db = Open())
        {
            await DatabaseMigrator.MigrateAsync(db, NullLogger.Instance, CancellationToken.None);
        }

        await using (var reader = new NpgsqlConnection(ConnectionString))
        {
            await reader.OpenAsync();
            await using var transaction = await reader.BeginTransactionAsync();
            await using (var read = new NpgsqlCommand("SELECT COUNT(*) FROM \"__EFMigrationsHistory\"", reader, transaction))
            {
                await read.ExecuteScalarAsync(); // holds the table's shared lock until the transaction ends
            }

            await using var db = Open();
            await DatabaseMigrator.MigrateAsync(db, NullLogger.Instance, CancellationToken.None).WaitAsync(Blocked);
        }

        await using (var db = Open())
        {
            await TestDatabases.RollBackOneMigrationAsync(db);
            Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());
        }

        await using (var db = Open())
        {
            await DatabaseMigrator.MigrateAsync(db, NullLogger.Instance, CancellationToken.None);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (TestDatabases.PostgresServer is not null)
        {
            await TestDatabases.DropPostgresDatabasesAsync(_database);
        }
    }
}
