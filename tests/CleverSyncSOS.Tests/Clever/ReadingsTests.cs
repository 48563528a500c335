using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;

namespace CleverSyncSOS.Tests.Clever;

/// <summary>
/// The syncs that matter (full, incremental, the mass-deletion guard, rate limits) against the simulator's harsh
/// readings of what Clever leaves unconfirmed, and once more with every kinder reading: the client must be right
/// under both. Ends with the whole district at its harshest, compared field by field with what Clever serves.
/// </summary>
public sealed class ReadingsTests
{
    public enum Reading
    {
        Harsh,
        Kind,
    }

    private static SimulatorOptions District(Reading reading, int students = 130, int teachers = 12, int schools = 3)
    {
        var options = SyncTestEnvironment.SmallDistrict(students, teachers, schools);
        return reading == Reading.Kind ? options.Kinder() : options;
    }

    private static Task<SyncTestEnvironment> StartAsync(SimulatorOptions simulator, int pageSize = 50) =>
        SyncTestEnvironment.StartAsync(simulator, s => s["CleverSyncSOS:CleverApi:PageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task AssertEveryRosterEqualsCleverAsync(SyncTestEnvironment env)
    {
        using var reader = env.Reader();
        foreach (var school in env.District.Schools)
        {
            RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.Id, "student"), await env.StudentsAsync(school.Id), school.Name);
            RosterAssert.TeachersEqual(await reader.GetSchoolUsersAsync(school.Id, "teacher"), await env.TeachersAsync(school.Id), school.Name);
        }
    }

    [Theory]
    [InlineData(Reading.Harsh)]
    [InlineData(Reading.Kind)]
    public async Task A_full_sync_over_many_pages_leaves_every_school_equal_to_Clever(Reading reading)
    {
        await using var env = await StartAsync(District(reading));
        await env.OnboardAsync();

        var results = await env.SyncAsync();

        Assert.All(results, r => Assert.Equal((SyncType.Full, SyncStatus.Success), (r.SyncType, r.Status)));
        await AssertEveryRosterEqualsCleverAsync(env);
    }

    [Theory]
    [InlineData(Reading.Harsh)]
    [InlineData(Reading.Kind)]
    public async Task An_incremental_sync_applies_additions_edits_and_removals_from_events(Reading reading)
    {
        var simulator = District(reading);
        simulator.InitialEvents = true;
        await using var env = await StartAsync(simulator);
        await env.OnboardAsync();
        await env.SyncAsync();
        var school = env.District.Schools[1];
        var students = await env.StudentsAsync(school.Id);
        env.Simulator.Store.AddStudent(school.Id);
        env.Simulator.Store.AddTeacher(school.Id);
        env.Simulator.Store.UpdateUser(students[2].CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["last"] = "Hopper" } });
        env.Simulator.Store.RemoveUser(students[7].CleverStudentId);

        var results = await env.SyncAsync();

        Assert.All(results, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), (r.SyncType, r.Status)));
        await AssertEveryRosterEqualsCleverAsync(env);
    }

    [Theory]
    [InlineData(Reading.Harsh)]
    [InlineData(Reading.Kind)]
    public async Task The_guard_holds_when_Clever_suddenly_serves_a_tenth_of_a_school(Reading reading)
    {
        await using var env = await StartAsync(District(reading, students: 200, schools: 1));
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var before = (await env.StudentsAsync(school.Id)).Count;
        env.Simulator.Store.KeepOnlyFraction(school.Id, "student", 0.1, withEvents: false);

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true)));

        Assert.Equal(SyncStatus.Partial, result.Status);
        Assert.Equal(before, (await env.StudentsAsync(school.Id)).Count);
    }

    [Theory]
    [InlineData(Reading.Harsh)]
    [InlineData(Reading.Kind)]
    public async Task A_small_rate_limit_slows_the_sync_down_but_every_school_completes(Reading reading)
    {
        // Clever's minute compressed to 2 s: 20 requests a window per token, shared by three schools.
        var simulator = District(reading, students: 300);
        (simulator.RateLimitPerMinute, simulator.RateLimitWindowSeconds) = (20, 2);
        await using var env = await StartAsync(simulator);
        await env.OnboardAsync();

        var results = await env.SyncAsync();

        Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
        Assert.True(env.Simulator.DataRequestCount > 20, "the limit was never reached");
        env.Simulator.Faults.RateLimitPerMinute = 100_000;
        await AssertEveryRosterEqualsCleverAsync(env);
    }

    [Fact]
    public async Task With_several_rate_limit_buckets_the_bearer_bucket_is_the_one_paced_on()
    {
        var simulator = District(Reading.Harsh, students: 800, schools: 1);
        (simulator.RateLimitPerMinute, simulator.RateLimitWindowSeconds, simulator.RateLimitHeaders) = (40, 2, RateLimitHeaderStyle.SeveralBuckets);
        await using var env = await StartAsync(simulator, pageSize: 10);
        await env.OnboardAsync();

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.True(env.Simulator.DataRequestCount > 80, "the limit was never reached");
        // Paced on the token's own bucket, the sync waits for each new window instead of running into it.
        Assert.True(env.Simulator.RateLimitedCount <= 1, $"{env.Simulator.RateLimitedCount} answers were 429");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task At_its_harshest_with_messy_data_pages_of_50_and_40_requests_a_window_without_headers_full_and_incremental_syncs_equal_Clever(
        Persistence.DatabaseProvider provider)
    {
        var simulator = District(Reading.Harsh, students: 600, teachers: 25);
        (simulator.RateLimitPerMinute, simulator.RateLimitWindowSeconds, simulator.RateLimitHeaders) = (40, 2, RateLimitHeaderStyle.None);
        simulator.InitialEvents = true;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, s => s["CleverSyncSOS:CleverApi:PageSize"] = "50", provider: provider);
        await env.OnboardAsync();

        var full = await env.SyncAsync();

        Assert.All(full, r => Assert.Equal((SyncType.Full, SyncStatus.Success), (r.SyncType, r.Status)));
        Assert.True(env.Simulator.RateLimitedCount > 0, "the rate limit was never reached");
        var store = env.Simulator.Store;
        foreach (var school in env.District.Schools)
        {
            var students = store.GetUserIds(school.Id, "student");
            var teachers = store.GetUserIds(school.Id, "teacher");
            store.AddStudent(school.Id);
            store.AddTeacher(school.Id);
            store.AddUser(new JsonObject
            {
                ["name"] = new JsonObject { ["first"] = "Ida", ["last"] = "Noemail" },
                ["roles"] = new JsonObject { ["teacher"] = new JsonObject { ["school"] = school.Id, ["schools"] = new JsonArray(school.Id), ["title"] = "" } },
            });
            store.UpdateUser(students[3], new JsonObject { ["name"] = new JsonObject { ["last"] = "Lovelace" }, ["email"] = null });
            store.UpdateUser(teachers[1], new JsonObject { ["roles"] = new JsonObject { ["teacher"] = new JsonObject { ["title"] = "Principal" } } });
            store.RemoveUser(students[10]);
            store.RemoveUser(teachers[2]);
        }

        var incremental = await env.SyncAsync();

        Assert.All(incremental, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), (r.SyncType, r.Status)));
        env.Simulator.Faults.RateLimitPerMinute = 100_000;
        await AssertEveryRosterEqualsCleverAsync(env);
        Assert.Contains(await env.TeachersAsync(env.District.Schools[0].Id), t => t.Email is null);
    }
}
