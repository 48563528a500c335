using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Sync.Applying;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Tests.Databases;

public sealed class SchoolTransactionTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    /// <summary>
    /// SessionDb moves a school's event cursor once the run's transaction committed; if that commit could still be undone
    /// by a power cut (SQLite's synchronous=NORMAL in WAL mode), the school would lose those changes for good while the
    /// cursor stayed past their events. A power cut cannot be staged in a test; the setting that rules it out can be read.
    /// </summary>
    [Fact]
    public async Task A_SQLite_school_run_commits_with_a_full_sync_to_disk()
    {
        var options = new DbContextOptionsBuilder<SchoolDbContext>()
            .UseProvider(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_folder.Path, "school.db")};Pooling=false").Options;
        await using (var db = new SchoolDbContext(options))
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        await using var transaction = await SchoolTransaction.OpenAsync(new SchoolDbContext(options), DatabaseProvider.Sqlite, batchSize: 500,
            DateTime.UtcNow, CancellationToken.None);
        await using var command = transaction.Connection.CreateCommand();
        command.Transaction = transaction.Transaction;
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(2L, await command.ExecuteScalarAsync()); // 2 = FULL: the WAL is synced at every commit
    }

    public void Dispose() => _folder.Dispose();
}
