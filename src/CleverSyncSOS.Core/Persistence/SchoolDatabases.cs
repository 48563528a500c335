using System.Collections.Concurrent;
using System.Data.Common;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Microsoft.Data.SqlClient;

namespace CleverSyncSOS.Persistence;

/// <summary>
/// Creates and opens each school's own database. The connection string lives only in the secret store,
/// under the name the school row holds; a school's job never sees another school's.
/// </summary>
public sealed class SchoolDatabases(IOptions<DatabaseOptions> options, ISecretStore secrets, DataDirectory dataDirectory)
{
    // Schools whose database was brought up to the latest migration by this process.
    private readonly ConcurrentDictionary<string, bool> _migrated = new(StringComparer.Ordinal);

    public DatabaseProvider Provider => options.Value.SchoolDbProvider;

    /// <summary>
    /// Opens the school's database for a sync; fails with a message naming the school and the missing secret.
    /// A database that lacks migrations is migrated first when <see cref="DatabaseOptions.AutoMigrateSchoolDatabases"/>
    /// is on, and refused with <see cref="SchoolDatabaseBehindException"/> when it is off.
    /// </summary>
    public async Task<SchoolDbContext> OpenAsync(School school, CancellationToken cancellationToken)
    {
        var db = await ConnectAsync(school, cancellationToken);
        if (!_migrated.ContainsKey(school.CleverSchoolId))
        {
            try
            {
                await EnsureCurrentAsync(school, db, cancellationToken);
            }
            catch
            {
                await db.DisposeAsync();
                throw;
            }

            _migrated[school.CleverSchoolId] = true;
        }

        return db;
    }

    /// <summary>
    /// A context on the school's database as it is: nothing is created or migrated (fleet status and migration).
    /// Unpooled when <paramref name="pooled"/> is false, so visiting hundreds of databases once leaves no idle connections behind.
    /// </summary>
    public async Task<SchoolDbContext> ConnectAsync(School school, CancellationToken cancellationToken, bool pooled = true)
    {
        var secretName = school.KeyVaultConnectionStringSecretName
            ?? throw new InvalidOperationException($"School {school.CleverSchoolId} ({school.Name}) has no connection-string secret name; run 'cleversync school add' again for it.");
        var connectionString = await secrets.GetSecretAsync(secretName, cancellationToken)
            ?? throw new SecretNotFoundException(secretName, $"the database connection string of school {school.CleverSchoolId} ({school.Name})");
        if (!pooled)
        {
            // "Pooling" is the same keyword for Microsoft.Data.Sqlite, Npgsql and SqlClient.
            connectionString = new DbConnectionStringBuilder { ConnectionString = connectionString, ["Pooling"] = false }.ConnectionString;
        }

        return new SchoolDbContext(BuildOptions(connectionString));
    }

    private async Task EnsureCurrentAsync(School school, SchoolDbContext db, CancellationToken cancellationToken)
    {
        if (options.Value.AutoMigrateSchoolDatabases)
        {
            // A school provisioned by an older version gets the new migrations before its first sync.
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new SchoolDatabaseBehindException(school, pending);
        }
    }

    /// <summary>
    /// Creates the school's database (SQLite file, or a database on the configured server), applies the
    /// migrations and stores the connection string under the school's secret name.
    /// </summary>
    public async Task ProvisionAsync(School school, CancellationToken cancellationToken)
    {
        var secretName = school.KeyVaultConnectionStringSecretName!;
        var connectionString = await secrets.GetSecretAsync(secretName, cancellationToken)
                               ?? await NewConnectionStringAsync(school.DatabaseName!, cancellationToken);
        await using (var db = new SchoolDbContext(BuildOptions(connectionString)))
        {
            await db.Database.MigrateAsync(cancellationToken);
            if (Provider == DatabaseProvider.Sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }

        await secrets.SetSecretAsync(secretName, connectionString, cancellationToken);
    }

    private DbContextOptions<SchoolDbContext> BuildOptions(string connectionString) =>
        new DbContextOptionsBuilder<SchoolDbContext>()
            .UseProvider(Provider, connectionString, options.Value.CommandTimeoutSeconds)
            .Options;

    private async Task<string> NewConnectionStringAsync(string databaseName, CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var file = dataDirectory.SchoolDbFile(databaseName);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            return new SqliteConnectionStringBuilder { DataSource = file, Pooling = true }.ToString();
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
