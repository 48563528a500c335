using CleverSyncSOS.Clever;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>Every record read is checked against what was asked; one that is not is never written.</summary>
public sealed class ReadScopeTests
{
    [Fact]
    public async Task Users_of_the_other_role_served_by_a_next_link_without_role_are_skipped_and_counted_never_stored_in_the_wrong_table()
    {
        await using var proxy = await LinkRewritingProxy.StartAsync();
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 120, teachers: 12, schools: 1), s =>
        {
            proxy.Upstream = new Uri(s[$"{CleverApiOptions.SectionName}:BaseUrl"]!);
            s[$"{CleverApiOptions.SectionName}:BaseUrl"] = proxy.BaseUrl.ToString();
            s[$"{CleverApiOptions.SectionName}:PageSize"] = "5";
        });
        await env.OnboardAsync();
        var school = env.District.Schools[0];

        var result = Assert.Single(await env.SyncAsync());

        using var reader = env.Reader();
        var students = await reader.GetSchoolUsersAsync(school.Id, "student");
        var teachers = await reader.GetSchoolUsersAsync(school.Id, "teacher");
        RosterAssert.StudentsEqual(students, await env.StudentsAsync(school.Id), school.Name);
        RosterAssert.TeachersEqual(teachers, await env.TeachersAsync(school.Id), school.Name);
        var failed = result.Entities.Sum(e => e.Failed);
        Assert.True(failed > 0, "the users of the other role are counted as failed");
        Assert.Equal(SyncStatus.Partial, result.Status);
        var skipped = env.Logs.Lines.Where(l => l.Contains("that is not what was asked for", StringComparison.Ordinal)).ToList();
        Assert.Equal(failed, skipped.Count);
        Assert.All(skipped, line => Assert.True(
            (line.Contains("has no student role", StringComparison.Ordinal) && teachers.Any(t => line.Contains(t.Id, StringComparison.Ordinal)))
            || (line.Contains("has no teacher role", StringComparison.Ordinal) && students.Any(t => line.Contains(t.Id, StringComparison.Ordinal))), line));
    }

    [Fact]
    public async Task A_stored_student_served_with_another_district_is_skipped_and_counted_but_not_deleted()
    {
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        simulator.EventsEnabled = false;
        await using var env = await SyncTestEnvironment.StartAsync(simulator);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var student = (await env.StudentsAsync(school.Id))[4];
        env.Simulator.Store.UpdateUser(student.CleverStudentId, new System.Text.Json.Nodes.JsonObject { ["district"] = "65d000000000000000000999", ["name"] = new System.Text.Json.Nodes.JsonObject { ["first"] = "Changed" } });

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true)));

        var students = result.Entities.Single(e => e.EntityType == SyncEntityType.Student);
        Assert.Equal((1, 0, 0), (students.Failed, students.Updated, students.Deleted));
        var stored = (await env.StudentsAsync(school.Id)).Single(s => s.CleverStudentId == student.CleverStudentId);
        Assert.Equal(student.FirstName, stored.FirstName);
        Assert.Contains(env.Logs.Lines, l => l.Contains(student.CleverStudentId, StringComparison.Ordinal) && l.Contains("belongs to district 65d000000000000000000999", StringComparison.Ordinal));
    }
}
