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

    [Fact]
    public async Task A_fill_copies_new_keys_straight_in_and_upserts_a_key_it_already_wrote_whatever_path_wrote_it()
    {
        if (TestDatabases.PostgresServer is null)
        {
            return; // PostgreSQL only (the fill's COPY path); CI always names a server (TestDatabases).
        }

        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1), provider: DatabaseProvider.PostgreSql);
        await env.OnboardAsync();
        var school = await env.SchoolAsync(env.District.Schools[0].Id);
        await using var db = await env.Services.GetRequiredService<SchoolDatabases>().OpenAsync(school, CancellationToken.None);
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var map = SyncEntities.Student.Map(db.Model);
        var now = new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc);
        object?[] Row(string id, string first) => [id, first, "Lovelace", null, "7", "100", now.AddDays(-1)];

        var written = new List<int>();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // Two rows or more go by COPY: s-1 and s-2 straight into the empty table; a one-row batch goes by statement.
            await using var writer = new RosterTableWriter(connection, transaction, SqlDialect.For(DatabaseProvider.PostgreSql, copyMinRows: 2), map, batchSize: 10, now);
            writer.StartFill();
            written.Add(await writer.UpsertAsync([Row("s-1", "Ada"), Row("s-2", "Grace")], CancellationToken.None));
            written.Add(await writer.UpsertAsync([Row("s-3", "Edsger")], CancellationToken.None));
            // s-1 (copied) and s-3 (by statement) come again, changed, beside a new s-4: the first two must be upserted, not copied.
            written.Add(await writer.UpsertAsync([Row("s-1", "Augusta"), Row("s-3", "Dijkstra"), Row("s-4", "Barbara")], CancellationToken.None));
            // Unchanged a second time: nothing written.
            written.Add(await writer.UpsertAsync([Row("s-1", "Augusta"), Row("s-4", "Barbara")], CancellationToken.None));
            await transaction.CommitAsync();
        }

        Assert.Equal([2, 1, 3, 0], written);
        var stored = await db.Students.AsNoTracking().OrderBy(s => s.CleverStudentId).ToListAsync();
        Assert.Equal(["s-1 Augusta", "s-2 Grace", "s-3 Dijkstra", "s-4 Barbara"], stored.Select(s => $"{s.CleverStudentId} {s.FirstName}"));
        Assert.All(stored, s => Assert.Equal((true, null, now, "7"), (s.IsActive, s.DeactivatedAt, s.CreatedAt.ToUniversalTime(), s.Grade)));
    }
}
