using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Tests.Databases;

/// <summary>
/// EF Core's migration lock on SQLite is a row a killed process leaves behind, after which EF Core waits for ever;
/// <see cref="DatabaseMigrator"/> must migrate through it, and still keep two live migrators of one file apart.
/// </summary>
public sealed class MigrationLockTests : IDisposable
{
    /// <summary>Without the fix, EF Core waits on the stale row for ever: bounded so the test fails instead of hanging.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);

    private readonly TempDirectory _folder = new();
    private readonly TestLoggerProvider _logs = new();

    private string File => Path.Combine(_folder.Path, "school.db");

    private SchoolDbContext Open() =>
        new(new DbContextOptionsBuilder<SchoolDbContext>().UseProvider(DatabaseProvider.Sqlite, $"Data Source={File};Pooling=false").Options);

    private ILogger Logger => _logs.CreateLogger(nameof(DatabaseMigrator));

    /// <summary>A database on its first migration, with the lock row a process killed during the next one leaves.</summary>
    private async Task<IReadOnlyList<string>> LeftBehindByAKilledMigrationAsync()
    {
        await using var db = Open();
        var all = db.Database.GetMigrations().ToList();
        await db.GetService<IMigrator>().MigrateAsync(all[0]);
        await db.Database.ExecuteSqlRawAsync("INSERT INTO \"__EFMigrationsLock\" (\"Id\", \"Timestamp\") VALUES (1, '2026-12-02 03:02:23.000')");
        return all;
    }

    /// <summary>Why the migrator exists: EF Core alone never gets past the row (if this starts to pass, EF Core fixed it).</summary>
    [Fact]
    public async Task EF_Core_alone_waits_on_a_lock_row_left_by_a_killed_process()
    {
        await LeftBehindByAKilledMigrationAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        await using var db = Open();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Database.MigrateAsync(patience.Token));
        Assert.Single(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task A_migration_lock_left_by_a_killed_process_is_removed_and_the_pending_migrations_are_applied()
    {
        var all = await LeftBehindByAKilledMigrationAsync();

        await using (var db = Open())
        {
            await DatabaseMigrator.MigrateAsync(db, Logger, CancellationToken.None).WaitAsync(Hang);
        }

        await using var check = Open();
        Assert.Equal(all, await check.Database.GetAppliedMigrationsAsync());
        Assert.Equal(0, await check.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM \"__EFMigrationsLock\"").SingleAsync());
        Assert.Contains(_logs.Lines, l => l.StartsWith("Warning") && l.Contains("Removed EF Core's migration lock") && l.Contains(File));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(File + "-migration-lock"));
        }
    }

    [Fact]
    public async Task A_current_database_is_not_written_when_nothing_is_pending()
    {
        await using (var db = Open())
        {
            await DatabaseMigrator.MigrateAsync(db, Logger, CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        var before = await System.IO.File.ReadAllBytesAsync(File);
        await using (var db = Open())
        {
            await DatabaseMigrator.MigrateAsync(db, Logger, CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(before, await System.IO.File.ReadAllBytesAsync(File));
    }

    [Fact]
    public async Task A_live_migrator_of_the_same_file_is_waited_for_and_then_named_and_its_lock_row_kept()
    {
        await LeftBehindByAKilledMigrationAsync();
        // Another process migrating the file holds the sidecar lock (flock is per open file, so a second open here
        // conflicts exactly as another process's would); its lock row is then not stale and must stay.
        await using var other = new FileStream(File + "-migration-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        await using var db = Open();
        var error = await Assert.ThrowsAsync<IOException>(() => DatabaseMigrator.MigrateAsync(db, Logger, TimeSpan.Zero, TimeProvider.System, CancellationToken.None));

        Assert.Contains("Another process has been migrating " + File, error.Message);
        Assert.Equal(1, await db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM \"__EFMigrationsLock\"").SingleAsync());
        Assert.Single(await db.Database.GetAppliedMigrationsAsync());
    }

    public void Dispose() => _folder.Dispose();
}
