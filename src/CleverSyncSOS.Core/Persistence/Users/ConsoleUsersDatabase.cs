using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Persistence.Users;

/// <summary>Opens the console's users context on SessionDb's connection (same database, its own tables and migrations).</summary>
public sealed class ConsoleUsersDatabase(SessionDatabase sessionDatabase, IOptions<DatabaseOptions> options, ILogger<ConsoleUsersDatabase> logger)
{
    private DbContextOptions<ConsoleUsersDbContext>? _contextOptions;

    public async Task<DbContextOptions<ConsoleUsersDbContext>> GetOptionsAsync(CancellationToken cancellationToken) =>
        _contextOptions ??= new DbContextOptionsBuilder<ConsoleUsersDbContext>()
            .UseProvider(options.Value.SessionDbProvider, await sessionDatabase.GetConnectionStringAsync(cancellationToken),
                options.Value.CommandTimeoutSeconds, ConsoleUsersDbContext.MigrationsHistoryTable)
            .Options;

    public async Task<ConsoleUsersDbContext> CreateDbContextAsync(CancellationToken cancellationToken) =>
        new(await GetOptionsAsync(cancellationToken));

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await CreateDbContextAsync(cancellationToken);
        await DatabaseMigrator.MigrateAsync(db, logger, cancellationToken);
    }
}
