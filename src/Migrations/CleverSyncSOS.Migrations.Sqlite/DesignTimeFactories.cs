using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Persistence.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CleverSyncSOS.Migrations.Sqlite;

// Used only by 'dotnet ef migrations add'; no connection is opened to generate a migration.
internal sealed class SessionDbDesignTimeFactory : IDesignTimeDbContextFactory<SessionDbContext>
{
    public SessionDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SessionDbContext>().UseProvider(DatabaseProvider.Sqlite, "Data Source=design-time.db").Options);
}

internal sealed class SchoolDbDesignTimeFactory : IDesignTimeDbContextFactory<SchoolDbContext>
{
    public SchoolDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SchoolDbContext>().UseProvider(DatabaseProvider.Sqlite, "Data Source=design-time.db").Options);
}

internal sealed class ConsoleUsersDesignTimeFactory : IDesignTimeDbContextFactory<ConsoleUsersDbContext>
{
    public ConsoleUsersDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ConsoleUsersDbContext>()
            .UseProvider(DatabaseProvider.Sqlite, "Data Source=design-time.db", migrationsHistoryTable: ConsoleUsersDbContext.MigrationsHistoryTable).Options);
}
