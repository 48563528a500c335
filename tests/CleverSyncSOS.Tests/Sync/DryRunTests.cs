using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>A dry run reports what a sync would do and writes nothing anywhere.</summary>
public sealed class DryRunTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_dry_run_reports_the_changes_and_leaves_every_database_identical(DatabaseProvider provider)
    {
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 2);
        simulator.EventsEnabled = false;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, provider: provider);
        await env.OnboardAsync();
        await env.SyncAsync();
        var school = env.District.Schools[0];
        var students = await env.StudentsAsync(school.Id);
        env.Simulator.Store.UpdateUser(students[1].CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["last"] = "Hopper" } });
        env.Simulator.Store.RemoveUser(students[2].CleverStudentId);
        env.Simulator.Store.AddStudent(school.Id);
        var before = await FingerprintAsync(env);

        var dry = await env.SyncAsync(new SyncRequest(DryRun: true));
        var dryFull = await env.SyncAsync(new SyncRequest(ForceFull: true, DryRun: true));

        Assert.Equal(before, await FingerprintAsync(env));
        var predicted = dry.Single(r => r.CleverSchoolId == school.Id).Entities.Single(e => e.EntityType == SyncEntityType.Student);
        Assert.Equal((1, 1, 1), (predicted.Created, predicted.Updated, predicted.Deleted));
        Assert.Contains(predicted.Examples, e => e.CleverId == students[1].CleverStudentId && (string?)e.New!["LastName"] == "Hopper");
        Assert.Equal((1, 1, 1), dryFull.Single(r => r.CleverSchoolId == school.Id).Entities.Single(e => e.EntityType == SyncEntityType.Student) is var f ? (f.Created, f.Updated, f.Deleted) : default);

        var real = (await env.SyncAsync()).Single(r => r.CleverSchoolId == school.Id).Entities.Single(e => e.EntityType == SyncEntityType.Student);
        Assert.Equal((predicted.Created, predicted.Updated, predicted.Deleted), (real.Created, real.Updated, real.Deleted));
    }

    /// <summary>
    /// SQLite: a hash of every file in the data folder. PostgreSQL: a checksum of every table's rows, per database. With
    /// <paramref name="schoolsOnly"/>, the schools' databases only (a running <c>serve</c> keeps writing its heartbeat to SessionDb).
    /// </summary>
    internal static async Task<string> FingerprintAsync(SyncTestEnvironment env, bool schoolsOnly = false)
    {
        if (env.Provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools(); // closes pooled connections, so WAL files are checkpointed before hashing
            var folder = schoolsOnly ? Path.Combine(env.DataDir, DataDirectory.SchoolsFolderName) : env.DataDir;
            var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
            return string.Join("\n", files.Select(f => $"{Path.GetRelativePath(env.DataDir, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));
        }

        var sums = new List<string>();
        if (!schoolsOnly)
        {
            await using var session = await env.SessionDbAsync();
            sums.AddRange(await ChecksumsAsync(session));
        }

        foreach (var school in env.District.Schools)
        {
            await using var db = await ClassSyncTests.OpenAsync(env, school.Id);
            sums.AddRange(await ChecksumsAsync(db));
        }

        return string.Join("\n", sums);
    }

    private static async Task<List<string>> ChecksumsAsync(DbContext db)
    {
        var sums = new List<string>();
        foreach (var table in db.Model.GetEntityTypes().Select(t => t.GetTableName()!).Distinct().Order(StringComparer.Ordinal))
        {
            // Table names come from the model, not from input.
            var sql = "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS \"Value\" FROM \"" + table + "\" t";
            var sum = await db.Database.SqlQueryRaw<string>(sql).SingleAsync();
            sums.Add($"{db.GetType().Name}.{table} {sum}");
        }

        return sums;
    }
}
