using System.Collections.Concurrent;
using System.Data.Common;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Microsoft.Data.SqlClient;

namespace CleverSyncSOS.Persistence;

/// <summary>
/// Creates and opens each school's own database. The connection string lives only in the secret store,
/// under the name the school row holds; a school's job never sees another school's. Embedded SQLite files are
/// stored relative to the data folder (<see cref="EmbeddedSqliteLocation"/>) and created owner-only.
/// </summary>
public sealed class SchoolDatabases(IOptions<DatabaseOptions> options, ISecretStore secrets, DataDirectory dataDirectory, ILogger<SchoolDatabases> logger)
{
    // Schools whose database was brought up to the latest migration by this process.
    private readonly ConcurrentDictionary<string, bool> _migrated = new(StringComparer.Ordinal);
    private readonly EmbeddedSqliteLocation _sqlite = new(dataDirectory);

    public DatabaseProvider Provider => options.Value.SchoolDbProvider;

    /// <summary>
    /// Opens the school's database for a sync; fails with a message naming the school and the missing secret.
    /// A database that lacks migrations is migrated first when <see cref="DatabaseOptions.AutoMigrateSchoolDatabases"/>
    /// is on, and refused with <see cref="SchoolDatabaseBehindException"/> when it is off. <paramref name="migrate"/>
    /// false (a dry run) opens it as it is: migrating takes a lock, which is a write.
    /// </summary>
    public async Task<SchoolDbContext> OpenAsync(School school, CancellationToken cancellationToken, bool migrate = true)
    {
        var db = await ContextAsync(school, cancellationToken, create: migrate);
        try
        {
            await PrepareAsync(school, db, migrate, cancellationToken);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        return db;
    }

    /// <summary>
    /// The school's context before its database is touched: its model is known, nothing is connected or checked yet
    /// (<see cref="PrepareAsync"/> does that). With <paramref name="create"/> false a missing SQLite file stays missing.
    /// </summary>
    public async Task<SchoolDbContext> ContextAsync(School school, CancellationToken cancellationToken, bool create = true) =>
        new(BuildOptions(await ConnectionStringAsync(school, cancellationToken, create)));

    /// <summary>The migration check of <see cref="OpenAsync"/> on a context from <see cref="ContextAsync"/> (once per school and process).</summary>
    public async Task PrepareAsync(School school, SchoolDbContext db, bool migrate, CancellationToken cancellationToken)
    {
        if (migrate && !_migrated.ContainsKey(school.CleverSchoolId))
        {
            await EnsureCurrentAsync(school, db, cancellationToken);
            _migrated[school.CleverSchoolId] = true;
        }
    }

    /// <summary>
    /// For a SQLite school database that failed with an I/O or disk-full error, how much room its disk has left
    /// (SQLite reports a full disk as "disk I/O error" as often as "database or disk is full"); null otherwise.
    /// </summary>
    public async Task<string?> FreeSpaceNoteAsync(School school, Exception failure, CancellationToken cancellationToken)
    {
        if (Provider != DatabaseProvider.Sqlite || failure is not SqliteException { SqliteErrorCode: 10 or 13 })
        {
            return null;
        }

        try
        {
            var file = EmbeddedSqliteLocation.FileOf(await ConnectionStringAsync(school, cancellationToken, create: false));
            var folder = file is null ? null : Path.GetDirectoryName(file);
            return folder is null ? null : $"The disk holding {folder} has {new DriveInfo(folder).AvailableFreeSpace:N0} bytes free.";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or SecretNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Closes idle pooled connections to the school's database, so the next open sees the database as it is now.</summary>
    public async Task ReleaseConnectionsAsync(School school, CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            // Idle SQLite connections are cheap to reopen, and a file's pool key depends on how it was opened: all go.
            SqliteConnection.ClearAllPools();
            return;
        }

        try
        {
            var connectionString = await ConnectionStringAsync(school, cancellationToken, create: false);
            if (Provider == DatabaseProvider.PostgreSql)
            {
                NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or SecretNotFoundException)
        {
            // Nothing to release when the connection string itself cannot be had.
        }
    }

    /// <summary>
    /// A context on the school's database as it is: nothing is created or migrated (fleet status and migration).
    /// Unpooled when <paramref name="pooled"/> is false, so visiting hundreds of databases once leaves no idle connections behind.
    /// </summary>
    public async Task<SchoolDbContext> ConnectAsync(School school, CancellationToken cancellationToken, bool pooled = true)
    {
        var connectionString = await ConnectionStringAsync(school, cancellationToken, create: false);
        return new SchoolDbContext(BuildOptions(pooled ? connectionString : Unpooled(connectionString)));
    }

    // "Pooling" is the same keyword for Microsoft.Data.Sqlite, Npgsql and SqlClient.
    private static string Unpooled(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString, ["Pooling"] = false }.ConnectionString;

    private async Task EnsureCurrentAsync(School school, SchoolDbContext db, CancellationToken cancellationToken)
    {
        if (options.Value.AutoMigrateSchoolDatabases)
        {
            // A school provisioned by an older version gets the new migrations before its first sync.
            await DatabaseMigrator.MigrateAsync(db, logger, cancellationToken);
            return;
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new SchoolDatabaseBehindException(school, pending);
        }
    }

    /// <summary>
    /// The connection string that opens the school's database (SQLite paths resolved in the data folder). With
    /// <paramref name="create"/> false a missing SQLite file is an error when opened, never an empty new database.
    /// </summary>
    public async Task<string> ConnectionStringAsync(School school, CancellationToken cancellationToken, bool create = true)
    {
        var secretName = school.KeyVaultConnectionStringSecretName
            ?? throw new InvalidOperationException($"School {school.CleverSchoolId} ({school.Name}) has no connection-string secret name; run 'cleversync school add' again for it.");
        var stored = await secrets.GetSecretAsync(secretName, cancellationToken)
            ?? throw new SecretNotFoundException(secretName, $"the database connection string of school {school.CleverSchoolId} ({school.Name})");
        return ToRuntime(stored, school, create);
    }

    /// <summary>
    /// Creates the school's database (SQLite file, or a database on the configured server), applies the
    /// migrations and stores the connection string under the school's secret name.
    /// </summary>
    public async Task ProvisionAsync(School school, CancellationToken cancellationToken)
    {
        var secretName = school.KeyVaultConnectionStringSecretName!;
        var stored = await secrets.GetSecretAsync(secretName, cancellationToken)
                     ?? await NewConnectionStringAsync(SchoolDatabaseNames.RequireSafe(school.DatabaseName), cancellationToken);
        var connectionString = ToRuntime(stored, school, create: true);
        // Unpooled: onboarding a district opens every school's database once, and a pooled connection would stay open
        // per school (its file and page cache with SQLite, a server connection with PostgreSQL) until that school syncs.
        await using (var db = new SchoolDbContext(BuildOptions(Unpooled(connectionString))))
        {
            await DatabaseMigrator.MigrateAsync(db, logger, cancellationToken);
            if (Provider == DatabaseProvider.Sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }

        // An old absolute location is stored again relative to the data folder.
        await secrets.SetSecretAsync(secretName, Provider == DatabaseProvider.Sqlite ? _sqlite.ToStored(connectionString) : connectionString, cancellationToken);
    }

    private string ToRuntime(string stored, School school, bool create)
    {
        if (Provider != DatabaseProvider.Sqlite)
        {
            return stored;
        }

        var runtime = _sqlite.ToRuntime(stored, school.DatabaseName);
        if (EmbeddedSqliteLocation.FileOf(runtime) is not { } file)
        {
            return runtime;
        }

        if (!create)
        {
            // Status and fleet commands look at what is there: a missing file is reported, not made.
            if (File.Exists(file))
            {
                PrivateFiles.Tighten(file, UnixFileMode.UserRead | UnixFileMode.UserWrite, logger);
            }

            return new SqliteConnectionStringBuilder(runtime) { Mode = SqliteOpenMode.ReadWrite }.ToString();
        }

        if (Directory.Exists(file))
        {
            throw new IOException($"The school's database {file} is a folder, not a file: move the folder away and the next sync creates the database.");
        }

        if (dataDirectory.Contains(file))
        {
            dataDirectory.Prepare(logger);
            PrivateFiles.Folder(Path.GetDirectoryName(file)!, logger);
            PrivateFiles.File(file, logger);
        }

        return runtime;
    }

    private DbContextOptions<SchoolDbContext> BuildOptions(string connectionString) =>
        new DbContextOptionsBuilder<SchoolDbContext>()
            .UseProvider(Provider, connectionString, options.Value.CommandTimeoutSeconds)
            .Options;

    private async Task<string> NewConnectionStringAsync(string databaseName, CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return EmbeddedSqliteLocation.NewStored(databaseName);
        }

        var server = options.Value.SchoolDbServerConnectionString;
        if (string.IsNullOrWhiteSpace(server))
        {
            server = await secrets.GetSecretAsync(SecretNames.SchoolDbServerConnectionString, cancellationToken)
                ?? throw new SecretNotFoundException(SecretNames.SchoolDbServerConnectionString, $"the {Provider} server that holds the school databases");
        }

        return Provider switch
        {
            DatabaseProvider.PostgreSql => new NpgsqlConnectionStringBuilder(server) { Database = databaseName }.ToString(),
            DatabaseProvider.SqlServer => new SqlConnectionStringBuilder(server) { InitialCatalog = databaseName }.ToString(),
            _ => throw new InvalidOperationException($"Unknown school database provider {Provider}."),
        };
    }
}
