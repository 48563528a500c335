using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Changes;
using CleverSyncSOS.Sync.Undo;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>
/// A table's first fill is one change-log entry, yet reads, undoes and ages exactly like one creation per record.
/// </summary>
public sealed class FillChangeLogTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Changes_of_a_first_sync_list_every_created_record_with_its_values_at_creation_after_later_runs_changed_deleted_and_added_some(
        DatabaseProvider provider)
    {
        await using var env = await StartAsync(provider);
        var school = env.District.Schools[0];
        var first = Assert.Single(await env.SyncAsync());
        var fill = await StudentRunAsync(env, school.Id);
        var created = await env.StudentsAsync(school.Id);
        var (renamed, gone, twice) = (created[3], created[5], created[8]);

        await using (var db = await ClassSyncTests.OpenAsync(env, school.Id))
        {
            Assert.Equal(first.Entities.Count(e => e.Created > 0), await db.ChangeLog.CountAsync());
            var stored = await db.ChangeLog.SingleAsync(e => e.EntityType == SyncEntityType.Student);
            Assert.Equal((ChangeAction.AllRecords, ChangeAction.Filled, created.Count), (stored.CleverId, stored.Action, (int)JsonNode.Parse(stored.NewValues!)!["Rows"]!));
        }

        env.Simulator.Store.UpdateUser(renamed.CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Grace" } });
        env.Simulator.Store.UpdateUser(twice.CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["last"] = "Once" } });
        env.Simulator.Store.RemoveUser(gone.CleverStudentId);
        var added = env.Simulator.Store.AddStudent(school.Id);
        await env.SyncAsync();
        env.Simulator.Store.UpdateUser(twice.CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["last"] = "Twice" }, ["grade"] = "12" });
        await env.SyncAsync();

        var (_, entries) = await ReadAsync(env, new ChangeQuery(school.Id, Run: fill, Limit: 100_000));
        var students = entries.Where(e => e.EntityType == SyncEntityType.Student).ToList();
        Assert.All(entries, e => Assert.Equal((ChangeAction.Created, null), (e.Action, e.OldValues)));
        Assert.Equal(first.Entities.Sum(e => e.Created), entries.Count);
        Assert.Equal(created.Count, students.Select(e => e.CleverId).Distinct().Count());
        Assert.DoesNotContain(students, e => e.CleverId == added);
        var logged = students.ToDictionary(e => e.CleverId, e => Values(e.NewValues));
        Assert.Equal(created.Select(Values).ToList(), created.Select(s => logged[s.CleverStudentId]).ToList());

        // One record (a student's id also finds the enrollments the fill created), and a page of the latest.
        var (_, one) = await ReadAsync(env, new ChangeQuery(school.Id, Run: fill, CleverId: twice.CleverStudentId));
        Assert.Equal(Values(twice), Values(one.Single(e => e.CleverId == twice.CleverStudentId).NewValues));
        Assert.Contains(one, e => e.EntityType == SyncEntityType.SectionStudent);
        Assert.Equal(entries.Where(e => ChangeQuery.Names(twice.CleverStudentId, e.CleverId)).Select(e => (e.CleverId, e.NewValues)).Order(),
            one.Select(e => (e.CleverId, e.NewValues)).Order());
        var (_, page) = await ReadAsync(env, new ChangeQuery(school.Id, Run: fill, Limit: 7));
        Assert.Equal(entries.TakeLast(7).Select(e => (e.CleverId, e.NewValues)), page.Select(e => (e.CleverId, e.NewValues)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Undo_of_a_first_sync_that_later_runs_updated_is_refused_without_force_and_with_force_empties_the_tables(DatabaseProvider provider)
    {
        await using var env = await StartAsync(provider);
        var school = env.District.Schools[0];
        var first = Assert.Single(await env.SyncAsync());
        var fill = await StudentRunAsync(env, school.Id);
        var student = (await env.StudentsAsync(school.Id))[7];
        env.Simulator.Store.UpdateUser(student.CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Later" } });
        await env.SyncAsync();
        var before = await env.StudentsAsync(school.Id);

        var refused = await Assert.ThrowsAsync<UndoRefusedException>(() => UndoAsync(env, fill));

        Assert.Contains(student.CleverStudentId, refused.Message);
        Assert.Contains("--force", refused.Message);
        Assert.Equal(before.Select(Values), (await env.StudentsAsync(school.Id)).Select(Values));

        var forced = await UndoAsync(env, fill, force: true);

        Assert.Equal(SyncStatus.Success, forced.Status);
        Assert.Equal(first.Entities.Sum(e => e.Created), forced.Entities.Sum(e => e.Deleted));
        Assert.Empty(await env.StudentsAsync(school.Id));
        Assert.Empty(await env.TeachersAsync(school.Id));
    }

    [Fact]
    public async Task Changes_of_a_fill_stay_exact_after_an_undo_emptied_the_table_and_a_later_sync_filled_it_again()
    {
        await using var env = await StartAsync(DatabaseProvider.Sqlite);
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var fill = await StudentRunAsync(env, school.Id);
        var created = await env.StudentsAsync(school.Id);
        Assert.Equal(SyncStatus.Success, (await UndoAsync(env, fill)).Status);
        Assert.Empty(await env.StudentsAsync(school.Id));
        env.Simulator.Store.UpdateUser(created[4].CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Refilled" } });
        var added = env.Simulator.Store.AddStudent(school.Id);
        await env.SyncAsync();
        var refill = await StudentRunAsync(env, school.Id);

        var (_, first) = await ReadAsync(env, new ChangeQuery(school.Id, Run: fill, Limit: 100_000));
        var (_, second) = await ReadAsync(env, new ChangeQuery(school.Id, Run: refill, Limit: 100_000));

        Assert.Equal(created.Select(Values).Order(), first.Where(e => e.EntityType == SyncEntityType.Student).Select(e => Values(e.NewValues)).Order());
        Assert.Equal((await env.StudentsAsync(school.Id)).Select(Values).Order(),
            second.Where(e => e.EntityType == SyncEntityType.Student).Select(e => Values(e.NewValues)).Order());
        Assert.Contains(second, e => e.CleverId == created[4].CleverStudentId && Values(e.NewValues).Item2 == "Refilled");
        Assert.Contains(second, e => e.CleverId == added);
        var refused = await Assert.ThrowsAsync<UndoRefusedException>(() => UndoAsync(env, fill));
        Assert.Contains("--force", refused.Message);
    }

    [Fact]
    public async Task Retention_removes_the_change_log_oldest_first_so_a_fill_never_outlives_the_later_entries_it_is_read_through()
    {
        await using var env = await StartAsync(DatabaseProvider.Sqlite);
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var fill = await StudentRunAsync(env, school.Id);
        var student = (await env.StudentsAsync(school.Id))[2];
        env.Simulator.Store.UpdateUser(student.CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Later" } });
        await env.SyncAsync();
        var update = await StudentRunAsync(env, school.Id);
        await using (var db = await ClassSyncTests.OpenAsync(env, school.Id))
        {
            // The update looks older than the fill (a clock set back between the runs): the fill must not stay without it.
            await db.ChangeLog.Where(e => e.SyncId == update).ExecuteUpdateAsync(s => s.SetProperty(e => e.ChangedAt, e => e.ChangedAt.AddDays(-91)));
        }

        var added = env.Simulator.Store.AddStudent(school.Id);
        await env.SyncAsync();

        await using var after = await ClassSyncTests.OpenAsync(env, school.Id);
        Assert.Equal([(added, ChangeAction.Created)], await after.ChangeLog.Select(e => ValueTuple.Create(e.CleverId, e.Action)).ToListAsync());
        Assert.Empty((await ReadAsync(env, new ChangeQuery(school.Id, Run: fill))).Entries);
        await Assert.ThrowsAsync<UndoRefusedException>(() => UndoAsync(env, fill, force: true));
    }

    private static async Task<SyncTestEnvironment> StartAsync(DatabaseProvider provider)
    {
        var simulator = SyncTestEnvironment.SmallDistrict(students: 90, schools: 1);
        simulator.EventsEnabled = false;
        // Small batches: a fill is read back over several pages.
        var env = await SyncTestEnvironment.StartAsync(simulator, s => s[$"{SyncOptions.SectionName}:BatchSize"] = "16", provider: provider);
        await env.OnboardAsync();
        return env;
    }

    private static async Task<int> StudentRunAsync(SyncTestEnvironment env, string school) =>
        (await env.HistoryAsync(school)).Last(h => h.EntityType == SyncEntityType.Student).SyncId;

    private static Task<(School School, IReadOnlyList<ChangeLogEntry> Entries)> ReadAsync(SyncTestEnvironment env, ChangeQuery query) =>
        env.Services.GetRequiredService<ChangeLogReader>().ReadAsync(query, CancellationToken.None);

    private static (string, string, string, string?, string?, string?, DateTime?) Values(Student s) =>
        (s.CleverStudentId, s.FirstName, s.LastName, s.Email, s.Grade, s.StudentNumber, s.LastModifiedInClever);

    private static (string, string, string, string?, string?, string?, DateTime?) Values(string? json)
    {
        var v = JsonNode.Parse(json!)!.AsObject();
        return ((string)v["CleverStudentId"]!, (string)v["FirstName"]!, (string)v["LastName"]!, (string?)v["Email"], (string?)v["Grade"], (string?)v["StudentNumber"],
            v["LastModifiedInClever"] is { } at ? DateTime.Parse((string)at!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal) : null);
    }

    private static async Task<SchoolSyncResult> UndoAsync(SyncTestEnvironment env, int run, bool force = false)
    {
        await using var scope = env.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RunUndo>().UndoAsync(run, force, CancellationToken.None);
    }
}
