using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Persistence;

/// <summary>Points a DbContext at a provider and that provider's own migrations assembly.</summary>
public static class DatabaseProviderConfigurator
{
    public static DbContextOptionsBuilder<TContext> UseProvider<TContext>(this DbContextOptionsBuilder<TContext> builder,
        DatabaseProvider provider, string connectionString, int commandTimeoutSeconds = 300, string? migrationsHistoryTable = null)
        where TContext : DbContext
    {
        var migrations = MigrationsAssembly(provider);
        var history = migrationsHistoryTable ?? Microsoft.EntityFrameworkCore.Migrations.HistoryRepository.DefaultTableName;
        _ = provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(connectionString, o => o.MigrationsAssembly(migrations).MigrationsHistoryTable(history).CommandTimeout(commandTimeoutSeconds)),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(connectionString, o => o.MigrationsAssembly(migrations).MigrationsHistoryTable(history).CommandTimeout(commandTimeoutSeconds)),
            DatabaseProvider.SqlServer => builder.UseSqlServer(connectionString, o => o.MigrationsAssembly(migrations).MigrationsHistoryTable(history).CommandTimeout(commandTimeoutSeconds)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
        };
        return builder;
    }

    public static string MigrationsAssembly(DatabaseProvider provider) => $"CleverSyncSOS.Migrations.{provider}";
}
