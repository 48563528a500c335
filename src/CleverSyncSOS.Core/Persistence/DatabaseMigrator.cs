using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Persistence;

/// <summary>
/// Applies a context's EF Core migrations so that a process killed while migrating never blocks the next one.
/// </summary>
/// <remarks>
/// On SQLite, EF Core's migration lock is a row in <c>__EFMigrationsLock</c>, and <c>Migrate</c> waits without end while
/// the row is there. A process killed while it holds the row (kill -9, out of memory, a container stopped as it
/// started) leaves it in the file for good, and every later start hangs silently. Here every migrator of a SQLite
/// file first takes an operating-system lock on a sidecar file (<c>&lt;database&gt;-migration-lock</c>, beside SQLite's own -wal and -journal files), which the
/// kernel releases when its process dies; whoever holds that lock knows a lock row in the database is stale and
/// removes it. PostgreSQL and SQL Server take session locks that end with the connection, so they go straight to EF
/// Core when something is to be done. On SQLite and PostgreSQL a database already current is not migrated at all, nor
/// locked, nor written (on PostgreSQL EF Core would lock its history table exclusively and commit even then).
/// </remarks>
public static partial class DatabaseMigrator
{
    /// <summary>How long a migrator waits for another process migrating the same file before it gives up.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(2);

    private const string EfLockTable = "__EFMigrationsLock";

    public static Task MigrateAsync(DbContext db, ILogger logger, CancellationToken cancellationToken) =>
        MigrateAsync(db, logger, DefaultWait, TimeProvider.System, cancellationToken);

    public static async Task MigrateAsync(DbContext db, ILogger logger, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            // EF Core's Migrate creates the history table if it is missing, locks it exclusively and commits, even when
            // nothing is pending: on every school's first sync in a process, a round trip and a commit before reading,
            // and a wait behind anyone reading the table. A current database is only read.
            if (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken)
                || await HasPendingMigrationsAsync(db, PostgresTableExistsAsync, cancellationToken))
            {
                await db.Database.MigrateAsync(cancellationToken);
            }

            return;
        }

        if (!db.Database.IsSqlite() || SqliteFileOf(db) is not { } file)
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        // Every school sync comes through here: a database that is current and holds no lock row is only read (no
        // sidecar lock taken, nothing written). Anything to write (a migration, a stale row) is done under the lock.
        // Without a file everything is pending, and opening a connection to find out would create it here.
        var pending = File.Exists(file) ? await HasPendingMigrationsAsync(db, SqliteTableExistsAsync, cancellationToken) : db.Database.GetMigrations().Any();
        if (!pending && !await HasLockRowAsync(db, file, cancellationToken))
        {
            return;
        }

        await using var fileLock = await MigrationFileLock.TryAcquireAsync(file + MigrationFileLock.Suffix, wait, time, cancellationToken);
        if (fileLock is not null && await HasLockRowAsync(db, file, cancellationToken))
        {
            await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{EfLockTable}\"", cancellationToken);
            LogStaleLockRemoved(logger, file);
        }

        if (pending)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Whether the (existing) database lacks one of the context's migrations, read with plain commands: EF Core's own
    /// <c>GetPendingMigrationsAsync</c> builds a model of the history table (and <c>SqlQuery</c> one of its result)
    /// afresh for every context, hundreds of methods of convention code that every school's first sync in a process
    /// would run before reading anything.
    /// </summary>
    private static async Task<bool> HasPendingMigrationsAsync(DbContext db, Func<DbContext, string, CancellationToken, Task<bool>> tableExistsAsync,
        CancellationToken cancellationToken)
    {
        var known = db.Database.GetMigrations().ToList();
        if (known.Count == 0)
        {
            return false;
        }

        var history = db.GetService<IDbContextOptions>().Extensions.OfType<RelationalOptionsExtension>().FirstOrDefault()?.MigrationsHistoryTableName
                      ?? HistoryRepository.DefaultTableName;
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (await tableExistsAsync(db, history, cancellationToken))
            {
                await using var read = db.Database.GetDbConnection().CreateCommand();
                read.CommandText = $"SELECT \"MigrationId\" FROM {Quote(history)}";
                await using var rows = await read.ExecuteReaderAsync(cancellationToken);
                while (await rows.ReadAsync(cancellationToken))
                {
                    applied.Add(rows.GetString(0));
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return known.Exists(m => !applied.Contains(m));
    }

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static Task<bool> SqliteTableExistsAsync(DbContext db, string table, CancellationToken cancellationToken) =>
        ExistsAsync(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name", "$name", table, cancellationToken);

    /// <summary>On PostgreSQL, where the schema search path finds the table (as EF Core's unqualified history table).</summary>
    private static Task<bool> PostgresTableExistsAsync(DbContext db, string table, CancellationToken cancellationToken) =>
        ExistsAsync(db, "SELECT COUNT(*) FROM (SELECT to_regclass(@name) AS t) AS r WHERE t IS NOT NULL", "name", Quote(table), cancellationToken);

    private static async Task<bool> ExistsAsync(DbContext db, string sql, string parameter, string value, CancellationToken cancellationToken)
    {
        await using var probe = db.Database.GetDbConnection().CreateCommand();
        probe.CommandText = sql;
        var name = probe.CreateParameter();
        name.ParameterName = parameter;
        name.Value = value;
        probe.Parameters.Add(name);
        return Convert.ToInt64(await probe.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static string? SqliteFileOf(DbContext db)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:" ? null : Path.GetFullPath(builder.DataSource);
    }

    private static async Task<bool> HasLockRowAsync(DbContext db, string file, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            return false;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!await SqliteTableExistsAsync(db, EfLockTable, cancellationToken))
            {
                return false;
            }

            await using var count = db.Database.GetDbConnection().CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{EfLockTable}\"";
            return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning,
        Message = "Removed EF Core's migration lock left in {Database} by a process that stopped while migrating it")]
    private static partial void LogStaleLockRemoved(ILogger logger, string database);
}
