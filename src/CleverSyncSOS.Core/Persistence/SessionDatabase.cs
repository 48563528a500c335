using CleverSyncSOS.Credentials;
using CleverSyncSOS.Credentials.KeyVault;
using CleverSyncSOS.Persistence.Session;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Persistence;

/// <summary>Opens SessionDb. Its connection string is resolved once (configuration, secret store, or the data folder).</summary>
public sealed class SessionDatabase(IOptions<DatabaseOptions> options, IOptions<SecretStoreOptions> secretOptions, ISecretStore secrets,
    DataDirectory dataDirectory, ILogger<SessionDatabase> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DbContextOptions<SessionDbContext>? _contextOptions;
    private string? _connectionString;

    public async Task<SessionDbContext> CreateDbContextAsync(CancellationToken cancellationToken) =>
        new(await GetOptionsAsync(cancellationToken));

    /// <summary>SessionDb's connection string, for the one other reader of it (the clustered scheduler's job store).</summary>
    public async Task<string> GetConnectionStringAsync(CancellationToken cancellationToken)
    {
        await using var db = await CreateDbContextAsync(cancellationToken);
        return db.Database.GetConnectionString()!;
    }

    /// <summary>
    /// Creates or upgrades SessionDb through its migrations. Every command starts here, so a SessionDb that cannot
    /// be reached or read (a corrupt file, a server that is down, a wrong password, Key Vault unreachable) stops it
    /// with a <see cref="ConfigurationException"/> that says where and why, never with the password.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GetOptionsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ConfigurationException))
        {
            var store = secretOptions.Value.Provider == SecretStoreProvider.KeyVault ? $"Key Vault {secretOptions.Value.VaultUri}" : "the local secret store";
            throw new ConfigurationException($"SessionDb's connection string could not be read from {store}: {Reason(ex)}", ex);
        }

        try
        {
            await using var db = await CreateDbContextAsync(cancellationToken);
            await DatabaseMigrator.MigrateAsync(db, logger, cancellationToken);
            if (options.Value.SessionDbProvider == DatabaseProvider.Sqlite)
            {
                // WAL lets the parallel school syncs write their history rows without blocking readers.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ConfigurationException))
        {
            throw new ConfigurationException($"SessionDb ({options.Value.SessionDbProvider}{Where()}) cannot be opened: {Reason(ex)}", ex);
        }
    }

    private static string Reason(Exception ex) => ex switch
    {
        KeyVaultUnavailableException or SecretNotFoundException => ex.Message,
        AggregateException aggregate => string.Join("; ", aggregate.InnerExceptions.Select(i => i.GetBaseException().Message).Distinct()),
        _ => ex.GetBaseException().Message,
    };

    // Where SessionDb is, without credentials: the file, or the server and database.
    private string Where()
    {
        if (_connectionString is null)
        {
            return "";
        }

        try
        {
            var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = _connectionString };
            var parts = new[] { "Data Source", "Host", "Server", "Port", "Database", "Initial Catalog" }
                .Where(builder.ContainsKey).Select(key => $"{key}={builder[key]}");
            return $", {string.Join(";", parts)}";
        }
        catch (ArgumentException)
        {
            return "";
        }
    }

    private async Task<DbContextOptions<SessionDbContext>> GetOptionsAsync(CancellationToken cancellationToken)
    {
        if (_contextOptions is not null)
        {
            return _contextOptions;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_contextOptions is null)
            {
                var value = options.Value;
                var connectionString = _connectionString = await ResolveConnectionStringAsync(value, cancellationToken);
                _contextOptions = new DbContextOptionsBuilder<SessionDbContext>()
                    .UseProvider(value.SessionDbProvider, connectionString, value.CommandTimeoutSeconds)
                    .Options;
            }

            return _contextOptions;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> ResolveConnectionStringAsync(DatabaseOptions value, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(value.SessionDbConnectionString))
        {
            return value.SessionDbConnectionString;
        }

        if (await secrets.GetSecretAsync(SecretNames.SessionDbConnectionString, cancellationToken) is { Length: > 0 } secret)
        {
            return secret;
        }

        if (value.SessionDbProvider != DatabaseProvider.Sqlite)
        {
            throw new SecretNotFoundException(SecretNames.SessionDbConnectionString, $"the {value.SessionDbProvider} SessionDb connection string");
        }

        // Owner-only: SessionDb names every school, and the school databases beside it hold children's data.
        dataDirectory.Prepare(logger);
        PrivateFiles.File(dataDirectory.SessionDbFile, logger);
        return new SqliteConnectionStringBuilder { DataSource = dataDirectory.SessionDbFile, Pooling = true }.ToString();
    }
}
