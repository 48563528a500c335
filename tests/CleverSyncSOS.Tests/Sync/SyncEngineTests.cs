using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Tests.Infrastructure;

namespace CleverSyncSOS.Tests.Sync;

public sealed class SyncEngineTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Full_sync_reads_every_page_of_a_school_larger_than_a_page(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 730, schools: 1),
            s => s["CleverSyncSOS:CleverApi:PageSize"] = "100", provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];

        var results = await env.SyncAsync();

        Assert.Equal(SyncStatus.Success, Assert.Single(results).Status);
        using var reader = env.Reader();
        RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.Id, "student"), await env.StudentsAsync(school.Id), school.Name);
        Assert.Equal(730, results[0].Entities.Single(e => e.EntityType == SyncEntityType.Student).Created);
        Assert.True(env.Simulator.DataRequestCount >= 8, $"730 students at 100 a page need 8 pages; {env.Simulator.DataRequestCount} requests were made");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Incremental_sync_picks_up_added_and_edited_students_and_teachers_from_events(DatabaseProvider provider)
    {
        var simulator = SyncTestEnvironment.SmallDistrict();
        simulator.InitialEvents = true;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, provider: provider);
        await env.OnboardAsync();
        await env.SyncAsync();
        var school = env.District.Schools[1];
        var added = env.Simulator.Store.AddStudent(school.Id);
        var addedTeacher = env.Simulator.Store.AddTeacher(school.Id);
        var edited = (await env.StudentsAsync(school.Id))[5].CleverStudentId;
        env.Simulator.Store.UpdateUser(edited, new JsonObject { ["name"] = new JsonObject { ["last"] = "Renamed-Lovelace" } });
        var requestsBefore = env.Simulator.DataRequestCount;

        var results = await env.SyncAsync();

        var result = results.Single(r => r.CleverSchoolId == school.Id);
        Assert.Equal(SyncType.Incremental, result.SyncType);
        Assert.Equal(SyncStatus.Success, result.Status);
        var students = await env.StudentsAsync(school.Id);
        Assert.Contains(students, s => s.CleverStudentId == added);
        Assert.Equal("Renamed-Lovelace", students.Single(s => s.CleverStudentId == edited).LastName);
        Assert.Contains(await env.TeachersAsync(school.Id), t => t.CleverTeacherId == addedTeacher);
        var studentOutcome = result.Entities.Single(e => e.EntityType == SyncEntityType.Student);
        Assert.Equal((1, 1, 0), (studentOutcome.Created, studentOutcome.Updated, studentOutcome.Deleted));
        // Events, not a re-read: per school a look-up of the cursor event and the events (plus an empty page where a
        // server links to one), not a page per school and role.
        Assert.True(env.Simulator.DataRequestCount - requestsBefore <= 9, $"{env.Simulator.DataRequestCount - requestsBefore} requests");
        using var reader = env.Reader();
        RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.Id, "student"), students, school.Name);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Full_sync_removes_the_records_Clever_no_longer_has_and_keeps_the_others(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(provider: provider);
        await env.OnboardAsync();
        await env.SyncAsync();
        var school = env.District.Schools[0];
        var before = await env.StudentsAsync(school.Id);
        var gone = before.Take(3).Select(s => s.CleverStudentId).ToList();
        var goneTeacher = (await env.TeachersAsync(school.Id))[0].CleverTeacherId;
        foreach (var id in gone.Append(goneTeacher))
        {
            env.Simulator.Store.RemoveUser(id);
        }

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(school.Id, ForceFull: true)));

        Assert.Equal(SyncType.Full, result.SyncType);
        Assert.Equal(SyncStatus.Success, result.Status);
        var after = await env.StudentsAsync(school.Id);
        Assert.Equal(before.Count - 3, after.Count);
        Assert.DoesNotContain(after, s => gone.Contains(s.CleverStudentId));
        Assert.DoesNotContain(await env.TeachersAsync(school.Id), t => t.CleverTeacherId == goneTeacher);
        Assert.Equal(3, result.Entities.Single(e => e.EntityType == SyncEntityType.Student).Deleted);
        // Unchanged records were not rewritten.
        Assert.Equal(0, result.Entities.Single(e => e.EntityType == SyncEntityType.Student).Updated);
        var kept = before.Skip(3).ToDictionary(s => s.CleverStudentId);
        Assert.All(after, s => Assert.Equal(kept[s.CleverStudentId].UpdatedAt, s.UpdatedAt));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Full_sync_whose_read_fails_on_page_7_of_10_deletes_nothing_changes_nothing_and_records_Failed(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 1000, schools: 1),
            s => s["CleverSyncSOS:CleverApi:PageSize"] = "100", provider: provider);
        await env.OnboardAsync();
        await env.SyncAsync();
        var school = env.District.Schools[0];
        var before = await env.StudentsAsync(school.Id);
        foreach (var student in before.Take(20))
        {
            env.Simulator.Store.RemoveUser(student.CleverStudentId);
        }

        env.Simulator.Store.UpdateUser(before[500].CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Changed" } });
        env.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Api, PathContains = $"/schools/{school.Id}/users", Skip = 6, Count = 0, StatusCode = 500 });

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true)));

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("HTTP 500", result.Error);
        var after = await env.StudentsAsync(school.Id);
        Assert.Equal(before.Select(s => (s.CleverStudentId, s.FirstName, s.UpdatedAt)), after.Select(s => (s.CleverStudentId, s.FirstName, s.UpdatedAt)));
        var history = await env.HistoryAsync(school.Id);
        Assert.All(history.Where(h => h.SyncType == SyncType.Full).TakeLast(2), h =>
        {
            Assert.Equal(SyncStatus.Failed, h.Status);
            Assert.NotNull(h.SyncEndTime);
            Assert.Contains("Nothing was changed", h.ErrorMessage);
        });
        Assert.True((await env.SchoolAsync(school.Id)).RequiresFullSync || history.Count(h => h.Status == SyncStatus.Success) == SyncEntities.All.Count,
            "the failed full sync must stay due");
    }
}
