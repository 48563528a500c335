using CleverSyncSOS.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace CleverSyncSOS.Tests.Infrastructure;

/// <summary>
/// The database servers tests run against. SQLite always; PostgreSQL when CLEVERSYNC_TEST_POSTGRES names a
/// server (".ci/run" starts one), and always under CI=true, where a missing server fails the tests instead of
/// skipping them: a skipped database test proves nothing.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "CLEVERSYNC_TEST_POSTGRES";

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value
        : IsCi ? "Host=127.0.0.1;Port=5432;Username=cleversync;Timeout=5" : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static TheoryData<DatabaseProvider> Providers
    {
        get
        {
            var data = new TheoryData<DatabaseProvider> { DatabaseProvider.Sqlite };
            if (PostgresServer is not null)
            {
                data.Add(DatabaseProvider.PostgreSql);
            }

            return data;
        }
    }

    /// <summary>
    /// Drops every database whose name starts with <paramref name="prefix"/> (a test's own). Each drop waits for a
    /// checkpoint, so a busy server can take longer than the default 30 s command timeout.
    /// </summary>
    public static async Task DropPostgresDatabasesAsync(string prefix)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresServer) { Database = "postgres", CommandTimeout = 300 }.ToString());
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE @p", connection))
        {
            list.Parameters.AddWithValue("p", prefix + "%");
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Takes the database back to the migration before the latest (to none when there is one), as an older release left it.</summary>
    public static async Task RollBackOneMigrationAsync(DbContext db)
    {
        var known = db.Database.GetMigrations().ToList();
        await db.GetService<IMigrator>().MigrateAsync(known.Count >= 2 ? known[^2] : Migration.InitialDatabase);
    }
}
