using System.Text.Json.Nodes;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>The promises that keep a school's roster safe: nothing lost, nothing wrongly deleted, failures contained.</summary>
public sealed class SyncSafetyTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Without_events_the_sync_compares_a_full_read_and_writes_only_the_changed_records(DatabaseProvider provider)
    {
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        simulator.EventsEnabled = false;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var before = await env.StudentsAsync(school.Id);

        var unchanged = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncType.Reconciliation, unchanged.SyncType);
        Assert.Equal(SyncStatus.Success, unchanged.Status);
        Assert.All(unchanged.Entities, e => Assert.Equal((0, 0, 0), (e.Created, e.Updated, e.Deleted)));
        Assert.Equal(before.Select(s => s.UpdatedAt), (await env.StudentsAsync(school.Id)).Select(s => s.UpdatedAt));

        env.Simulator.Store.UpdateUser(before[3].CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Grace" } });
        env.Simulator.Store.UpdateUser(before[4].CleverStudentId, new JsonObject { ["email"] = "new.address@example.org" });
        env.Simulator.Store.RemoveUser(before[5].CleverStudentId);

        var changed = Assert.Single(await env.SyncAsync());

        var students = changed.Entities.Single(e => e.EntityType == SyncEntityType.Student);
        Assert.Equal((0, 2, 1), (students.Created, students.Updated, students.Deleted));
        var after = await env.StudentsAsync(school.Id);
        Assert.Equal("Grace", after.Single(s => s.CleverStudentId == before[3].CleverStudentId).FirstName);
        Assert.Equal(before.Count - 1, after.Count);
        Assert.Equal(before.Count - 3, after.Count(s => before.Any(b => b.CleverStudentId == s.CleverStudentId && b.UpdatedAt == s.UpdatedAt)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Mass_deletion_guard_stops_a_full_sync_when_Clever_suddenly_serves_a_tenth_of_a_school(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 300, schools: 1), provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        env.Simulator.Store.KeepOnlyFraction(school.Id, "student", 0.1, withEvents: false);

        var guarded = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true)));

        Assert.Equal(SyncStatus.Partial, guarded.Status);
        var students = guarded.Entities.Single(e => e.EntityType == SyncEntityType.Student);
        Assert.Equal(0, students.Deleted);
        Assert.Contains("270 of 300", students.Warning);
        Assert.Contains("--allow-mass-delete", students.Warning);
        Assert.Equal(300, (await env.StudentsAsync(school.Id)).Count);
        Assert.True((await env.SchoolAsync(school.Id)).RequiresFullSync, "a guarded full sync stays due");
        Assert.Contains(await env.HistoryAsync(school.Id), h => h.Status == SyncStatus.Partial && h.ErrorMessage!.Contains("Mass-deletion guard"));

        var overridden = Assert.Single(await env.SyncAsync(new SyncRequest(school.Id, ForceFull: true, AllowMassDelete: true)));

        Assert.Equal(SyncStatus.Success, overridden.Status);
        Assert.Equal(30, (await env.StudentsAsync(school.Id)).Count);
        Assert.False((await env.SchoolAsync(school.Id)).RequiresFullSync);
    }

    [Fact]
    public async Task A_reconciliation_stopped_by_the_guard_asks_for_a_full_sync_so_the_warning_repeats()
    {
        var simulator = SyncTestEnvironment.SmallDistrict(students: 200, schools: 1);
        simulator.EventsEnabled = false;
        await using var env = await SyncTestEnvironment.StartAsync(simulator);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        env.Simulator.Store.KeepOnlyFraction(school.Id, "student", 0.5, withEvents: false);

        var reconciliation = Assert.Single(await env.SyncAsync());
        var next = Assert.Single(await env.SyncAsync());

        Assert.Equal((SyncType.Reconciliation, SyncStatus.Partial), (reconciliation.SyncType, reconciliation.Status));
        Assert.Equal((SyncType.Full, SyncStatus.Partial), (next.SyncType, next.Status));
        Assert.Equal(200, (await env.StudentsAsync(school.Id)).Count);
        Assert.True((await env.SchoolAsync(school.Id)).RequiresFullSync);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_malformed_record_fails_alone_and_the_rest_of_the_school_is_synced(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1), provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        var noLastName = env.Simulator.Store.AddUser(Student(school.Id, new JsonObject { ["first"] = "Nolast" }, "nolast@example.org"));
        var longEmail = env.Simulator.Store.AddUser(Student(school.Id, new JsonObject { ["first"] = "Long", ["last"] = "Email" }, new string('e', 290) + "@example.org"));
        var odd = env.Simulator.Store.AddUser(Student(school.Id, new JsonObject { ["first"] = "Odd", ["last"] = "Enums" }, "", grade: "", extra: true));

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Partial, result.Status);
        var students = result.Entities.Single(e => e.EntityType == SyncEntityType.Student);
        Assert.Equal(2, students.Failed);
        var stored = await env.StudentsAsync(school.Id);
        Assert.Equal(121, stored.Count); // 120 generated + the odd but valid one
        Assert.DoesNotContain(stored, s => s.CleverStudentId == noLastName || s.CleverStudentId == longEmail);
        var oddStudent = stored.Single(s => s.CleverStudentId == odd);
        Assert.Null(oddStudent.Email);
        Assert.Null(oddStudent.Grade);
        Assert.Contains(env.Logs.Lines, l => l.Contains(noLastName) && l.Contains("LastName is missing"));
        Assert.Contains(env.Logs.Lines, l => l.Contains(longEmail) && l.Contains("Email is 302 characters, more than the 200 allowed"));
        Assert.Equal(2, (await env.HistoryAsync(school.Id)).Single(h => h.EntityType == SyncEntityType.Student).RecordsFailed);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_event_cursor_older_than_Clever_keeps_falls_back_to_a_full_comparison(DatabaseProvider provider)
    {
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        simulator.InitialEvents = true;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var added = env.Simulator.Store.AddStudent(school.Id);
        env.Simulator.Store.ExpireEvents();
        env.Simulator.Store.AddStudent(school.Id);

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncType.Reconciliation, result.SyncType);
        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Contains(await env.StudentsAsync(school.Id), s => s.CleverStudentId == added);
        Assert.Contains(env.Logs.Lines, l => l.Contains("no longer kept by Clever"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Two_failing_schools_do_not_affect_the_other_three(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 40, teachers: 4, schools: 5), provider: provider);
        await env.OnboardAsync();
        var brokenDatabase = env.District.Schools[1];
        var missingInClever = env.District.Schools[3];
        var school = await env.SchoolAsync(brokenDatabase.Id);
        await env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(school.KeyVaultConnectionStringSecretName!,
            provider == DatabaseProvider.Sqlite ? "Data Source=/proc/no-such-folder/school.db" : "Host=127.0.0.1;Port=1;Database=nowhere;Username=x;Password=y;Timeout=2",
            CancellationToken.None);
        env.Simulator.Faults.Add(new FaultRule
        {
            PathContains = $"/schools/{missingInClever.Id}/", StatusCode = 404, ContentType = "text/html",
            Body = "<html><head><title>Page Not Found</title></head><body>Clever</body></html>",
        });

        var results = await env.SyncAsync();

        Assert.Equal(5, results.Count);
        Assert.Equal(SyncStatus.Failed, results.Single(r => r.CleverSchoolId == brokenDatabase.Id).Status);
        var notFound = results.Single(r => r.CleverSchoolId == missingInClever.Id);
        Assert.Equal(SyncStatus.Failed, notFound.Status);
        Assert.Contains("HTTP 404: HTML page: Page Not Found", notFound.Error);
        using var reader = env.Reader();
        foreach (var healthy in env.District.Schools.Except([brokenDatabase, missingInClever]))
        {
            Assert.Equal(SyncStatus.Success, results.Single(r => r.CleverSchoolId == healthy.Id).Status);
            RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(healthy.Id, "student"), await env.StudentsAsync(healthy.Id), healthy.Name);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_429_storm_slows_the_sync_down_but_it_completes(DatabaseProvider provider)
    {
        var simulator = SyncTestEnvironment.SmallDistrict(students: 600, schools: 1);
        simulator.RateLimitPerMinute = 3;
        simulator.RateLimitWindowSeconds = 1;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, s => s["CleverSyncSOS:CleverApi:PageSize"] = "100", provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        // 9+ requests at 3 per window: the sync was answered 429 and waited those out instead of failing.
        var throttled = env.Simulator.RateLimitedCount;
        Assert.True(throttled > 0, "the simulator never answered 429");
        env.Simulator.Faults.RateLimitPerMinute = 1200; // so the check below is not throttled itself
        using var reader = env.Reader();
        RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.Id, "student"), await env.StudentsAsync(school.Id), school.Name);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Cancelling_a_full_sync_changes_nothing_and_closes_its_history_rows_as_failed(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 500, schools: 1),
            s => s["CleverSyncSOS:CleverApi:PageSize"] = "50", provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var before = await env.StudentsAsync(school.Id);
        env.Simulator.Store.KeepOnlyFraction(school.Id, "student", 0.9, withEvents: false);
        env.Simulator.Faults.LatencyMilliseconds = 150;
        using var cancel = new CancellationTokenSource();
        // Cancelled in the middle of the read (three of its ten pages served), whatever the machine's speed.
        var pagesBefore = env.Simulator.DataRequestCount;
        var canceller = Task.Run(async () =>
        {
            while (env.Simulator.DataRequestCount < pagesBefore + 3)
            {
                await Task.Delay(5);
            }

            await cancel.CancelAsync();
        });

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true), cancel.Token));
        await canceller;

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.StartsWith("Cancelled", result.Error);
        Assert.Equal(before.Select(s => (s.CleverStudentId, s.UpdatedAt)), (await env.StudentsAsync(school.Id)).Select(s => (s.CleverStudentId, s.UpdatedAt)));
        var last = (await env.HistoryAsync(school.Id)).TakeLast(2).ToList();
        Assert.All(last, h => Assert.Equal((SyncStatus.Failed, true), (h.Status, h.SyncEndTime is not null)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task History_rows_left_in_progress_by_a_crash_are_closed_as_failed_at_the_next_start(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1), provider: provider);
        await env.OnboardAsync();
        var school = await env.SchoolAsync(env.District.Schools[0].Id);
        await using (var db = await env.SessionDbAsync())
        {
            db.SyncHistory.Add(new SyncHistory
            {
                SchoolId = school.SchoolId, EntityType = SyncEntityType.Student, SyncType = SyncType.Full,
                SyncStartTime = DateTime.UtcNow.AddHours(-1), Status = SyncStatus.InProgress,
            });
            await db.SaveChangesAsync();
        }

        await env.SyncAsync();

        var crashed = (await env.HistoryAsync(school.CleverSchoolId))[0];
        Assert.Equal(SyncStatus.Failed, crashed.Status);
        Assert.Equal(SyncHistoryRecorder.InterruptedMessage, crashed.ErrorMessage);
        Assert.NotNull(crashed.SyncEndTime);
    }

    private static JsonObject Student(string schoolId, JsonObject name, string email, string grade = "5", bool extra = false)
    {
        var role = new JsonObject
        {
            ["school"] = schoolId, ["schools"] = new JsonArray(schoolId), ["grade"] = grade, ["student_number"] = "",
            ["sis_id"] = "x",
        };
        if (extra)
        {
            role["gender"] = "";
            role["future_field"] = new JsonObject { ["nested"] = 1 };
        }

        return new JsonObject
        {
            ["name"] = name, ["email"] = email, ["roles"] = new JsonObject { ["student"] = role },
            ["unknown_top_level"] = "ignored",
        };
    }
}
