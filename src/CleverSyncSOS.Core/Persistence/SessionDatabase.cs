using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence.Session;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Persistence;

/// <summary>Opens SessionDb. Its connection string is resolved once (configuration, secret store, or the data folder).</summary>
public sealed class SessionDatabase(IOptions<DatabaseOptions> options, ISecretStore secrets, DataDirectory dataDirectory)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DbContextOptions<SessionDbContext>? _contextOptions;

    public async Task<SessionDbContext> CreateDbContextAsync(CancellationToken cancellationToken) =>
        new(await GetOptionsAsync(cancellationToken));

    /// <summary>SessionDb's connection string, for the one other reader of it (the clustered scheduler's job store).</summary>
    public async Task<string> GetConnectionStringAsync(CancellationToken cancellationToken)
    {
        await using var db = await CreateDbContextAsync(cancellationToken);
        return db.Database.GetConnectionString()!;
    }

    /// <summary>Creates or upgrades SessionDb through its migrations.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (options.Value.SessionDbProvider == DatabaseProvider.Sqlite)
        {
            // WAL lets the parallel school syncs write their history rows without blocking readers.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
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
                var connectionString = await ResolveConnectionStringAsync(value, cancellationToken);
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

        Directory.CreateDirectory(dataDirectory.Path);
        return new SqliteConnectionStringBuilder { DataSource = dataDirectory.SessionDbFile, Pooling = true }.ToString();
    }
}
