using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Writing;

public sealed class RosterTableWriterTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Upserting_the_same_key_twice_in_a_batch_keeps_the_last_row_and_rewriting_it_unchanged_writes_nothing(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1), provider: provider);
        await env.OnboardAsync();
        var school = await env.SchoolAsync(env.District.Schools[0].Id);
        await using var db = await env.Services.GetRequiredService<SchoolDatabases>().OpenAsync(school, CancellationToken.None);
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var map = SyncEntities.Student.Map(db.Model);
        var now = DateTime.UtcNow;
        object?[] Row(string first) => ["s-1", first, "Lovelace", null, "7", "100", now];

        int first, second;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var writer = new RosterTableWriter(connection, transaction, SqlDialect.For(provider), map, batchSize: 10, now);
            first = await writer.UpsertAsync([Row("Ada"), Row("Augusta")], CancellationToken.None);
            second = await writer.UpsertAsync([Row("Augusta")], CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Equal((1, 0), (first, second));
        var stored = Assert.Single(await db.Students.AsNoTracking().ToListAsync());
        Assert.Equal(("Augusta", "7", true), (stored.FirstName, stored.Grade, stored.IsActive));
    }
}
