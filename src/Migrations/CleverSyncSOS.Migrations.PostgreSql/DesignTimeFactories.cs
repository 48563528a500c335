using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Persistence.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CleverSyncSOS.Migrations.PostgreSql;

// Used only by 'dotnet ef migrations add'; no connection is opened to generate a migration.
internal sealed class SessionDbDesignTimeFactory : IDesignTimeDbContextFactory<SessionDbContext>
{
    public SessionDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SessionDbContext>().UseProvider(DatabaseProvider.PostgreSql, "Host=127.0.0.1;Database=cleversync_design").Options);
}

internal sealed class SchoolDbDesignTimeFactory : IDesignTimeDbContextFactory<SchoolDbContext>
{
    public SchoolDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SchoolDbContext>().UseProvider(DatabaseProvider.PostgreSql, "Host=127.0.0.1;Database=cleversync_design").Options);
}

internal sealed class ConsoleUsersDesignTimeFactory : IDesignTimeDbContextFactory<ConsoleUsersDbContext>
{
    public ConsoleUsersDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ConsoleUsersDbContext>()
            .UseProvider(DatabaseProvider.PostgreSql, "Host=127.0.0.1;Database=cleversync_design", migrationsHistoryTable: ConsoleUsersDbContext.MigrationsHistoryTable).Options);
}
