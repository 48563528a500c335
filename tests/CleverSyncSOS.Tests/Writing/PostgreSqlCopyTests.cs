using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Writing;

/// <summary>PostgreSQL's binary COPY path writes exactly what the row path writes.</summary>
public sealed class PostgreSqlCopyTests
{
    [Fact]
    public async Task Copy_and_row_paths_leave_identical_tables_and_change_logs_after_creates_updates_unchanged_rows_and_deletions()
    {
        if (TestDatabases.PostgresServer is null)
        {
            return; // PostgreSQL only; CI always names a server (TestDatabases).
        }

        var simulator = SyncTestEnvironment.SmallDistrict(students: 150, teachers: 10, schools: 1);
        simulator.EventsEnabled = false;
        // Every batch by COPY (1 row is enough), against every batch by statements; both read the same simulator.
        await using var copy = await SyncTestEnvironment.StartAsync(simulator, s => s[$"{SyncOptions.SectionName}:PostgreSqlCopyMinRows"] = "1",
            provider: DatabaseProvider.PostgreSql);
        await using var rows = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 1, teachers: 1, schools: 1), s =>
        {
            s[$"{SyncOptions.SectionName}:PostgreSqlCopyMinRows"] = "0";
            s[$"{CleverSyncSOS.Authentication.CleverAuthConfiguration.SectionName}:TokenEndpoint"] = copy.Simulator.TokenEndpoint.ToString();
            s[$"{CleverSyncSOS.Clever.CleverApiOptions.SectionName}:BaseUrl"] = copy.Simulator.ApiBaseUrl.ToString();
        }, provider: DatabaseProvider.PostgreSql);
        await copy.OnboardAsync();
        await rows.OnboardAsync(district: copy.District);
        var school = copy.District.Schools[0].Id;

        var first = await SyncBothAsync(copy, rows);

        var students = await copy.StudentsAsync(school);
        var store = copy.Simulator.Store;
        store.UpdateUser(students[3].CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Grace" }, ["last_modified"] = "2026-11-30T08:00:00.000Z" });
        store.UpdateUser(students[4].CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["last"] = "Hopper" }, ["last_modified"] = "2026-11-30T08:00:00.000Z" });
        store.RemoveUser(students[5].CleverStudentId);
        store.RemoveUser(students[6].CleverStudentId);
        var second = await SyncBothAsync(copy, rows);

        Assert.Equal(first.Copy, first.Rows);
        Assert.Equal(second.Copy, second.Rows);
        Assert.Contains("Student +0 ~2 -2", second.Copy, StringComparison.Ordinal);
        foreach (var entity in SyncEntities.All)
        {
            Assert.Equal(await TableAsync(rows, school, entity), await TableAsync(copy, school, entity));
        }

        Assert.Equal(await ChangeLogAsync(rows, school), await ChangeLogAsync(copy, school));
        var written = (await TableAsync(copy, school, SyncEntities.Student)).Where(r => r.EndsWith("rewritten", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, written.Count); // the two updated students; every unchanged row kept its first write
    }

    /// <summary>A full sync of the school in each environment; the per-entity counts of each.</summary>
    private static async Task<(string Copy, string Rows)> SyncBothAsync(SyncTestEnvironment copy, SyncTestEnvironment rows)
    {
        static string Counts(IReadOnlyList<SchoolSyncResult> results)
        {
            var result = Assert.Single(results);
            Assert.Null(result.Error);
            return string.Join("; ", result.Entities.Select(e => $"{e.EntityType} +{e.Created} ~{e.Updated} -{e.Deleted} ({e.Processed} processed, {e.Failed} failed)"));
        }

        return (Counts(await copy.SyncAsync(new SyncRequest(ForceFull: true))), Counts(await rows.SyncAsync(new SyncRequest(ForceFull: true))));
    }

    /// <summary>Every row of an entity's table: key, data columns, whether active, and whether the second run rewrote it.</summary>
    private static async Task<List<string>> TableAsync(SyncTestEnvironment env, string school, SyncEntity entity)
    {
        await using var db = await env.Services.GetRequiredService<SchoolDatabases>().OpenAsync(await env.SchoolAsync(school), CancellationToken.None);
        var map = entity.Map(db.Model);
        var dialect = SqlDialect.For(DatabaseProvider.PostgreSql);
        var columns = new[] { map.KeyColumn }.Concat(map.DataColumns).Append(map.IsActiveColumn).Append(map.DeactivatedAtColumn).Select(dialect.Quote);
        return await QueryAsync(db,
            $"SELECT {string.Join(", ", columns)}, CASE WHEN {dialect.Quote(map.UpdatedAtColumn)} > {dialect.Quote(map.CreatedAtColumn)} THEN 'rewritten' ELSE 'kept' END " +
            $"FROM {dialect.Quote(map.Table)} ORDER BY {dialect.Quote(map.KeyColumn)}");
    }

    private static async Task<List<string>> ChangeLogAsync(SyncTestEnvironment env, string school)
    {
        await using var db = await env.Services.GetRequiredService<SchoolDatabases>().OpenAsync(await env.SchoolAsync(school), CancellationToken.None);
        return await QueryAsync(db, """SELECT "EntityType", "CleverId", "Action", "OldValues", "NewValues" FROM "ChangeLog" ORDER BY 1, 2, 3, 4, 5""");
    }

    private static async Task<List<string>> QueryAsync(DbContext db, string sql)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null"
                : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return lines;
    }
}
