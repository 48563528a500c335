using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;

namespace CleverSyncSOS.Tests.Clever;

/// <summary>
/// The client against each harsh reading of what Clever leaves unconfirmed (the simulator's defaults), with real
/// HTTP and real SQLite.
/// </summary>
public sealed class SurvivesEveryReadingTests
{
    private static SimulatorOptions Small(Action<SimulatorOptions>? change = null)
    {
        var options = SyncTestEnvironment.SmallDistrict(students: 40, teachers: 30, schools: 1);
        change?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task Teachers_without_an_email_are_synced()
    {
        await using var env = await SyncTestEnvironment.StartAsync(Small());
        await env.OnboardAsync();
        var school = env.District.Schools[0];

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        var teachers = await env.TeachersAsync(school.Id);
        Assert.Contains(teachers, t => t.Email is null);
        using var reader = env.Reader();
        RosterAssert.TeachersEqual(await reader.GetSchoolUsersAsync(school.Id, "teacher"), teachers, school.Name);
    }

    [Theory]
    [InlineData(DeadTokenAnswer.Forbidden)]
    [InlineData(DeadTokenAnswer.HtmlPage)]
    public async Task A_dead_token_answered_with_403_or_an_HTML_page_gets_one_new_token(DeadTokenAnswer answer)
    {
        await using var env = await SyncTestEnvironment.StartAsync(Small(o => o.DeadToken = answer));
        await env.OnboardAsync();
        await env.SyncAsync();
        env.Simulator.Store.RevokeTokens(env.District.Id);
        var tokensBefore = env.Simulator.TokenRequestCount;

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true)));

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal(tokensBefore + 1, env.Simulator.TokenRequestCount);
    }

    [Theory]
    [InlineData(EventsOffAnswer.Unauthorized)]
    [InlineData(EventsOffAnswer.Forbidden)]
    public async Task Events_switched_off_and_answered_401_or_403_read_as_events_off_not_as_a_bad_token(EventsOffAnswer answer)
    {
        await using var env = await SyncTestEnvironment.StartAsync(Small(o => (o.EventsEnabled, o.EventsOff) = (false, answer)));
        await env.OnboardAsync();

        var first = Assert.Single(await env.SyncAsync());
        var second = Assert.Single(await env.SyncAsync());

        Assert.Equal((SyncStatus.Success, SyncStatus.Success), (first.Status, second.Status));
        Assert.Equal(SyncType.Reconciliation, second.SyncType);
        Assert.Equal(1, env.Simulator.TokenRequestCount);
    }

    [Theory]
    [InlineData(EndingBeforeLastAnswer.Rejected)]
    [InlineData(EndingBeforeLastAnswer.Ignored)]
    public async Task Ending_before_last_refused_or_ignored_still_gives_incremental_syncs_that_miss_nothing(EndingBeforeLastAnswer answer)
    {
        await using var env = await SyncTestEnvironment.StartAsync(Small(o => (o.EndingBeforeLast, o.InitialEvents) = (answer, true)));
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var added = env.Simulator.Store.AddStudent(school.Id);

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal((SyncType.Incremental, SyncStatus.Success), (result.SyncType, result.Status));
        Assert.Contains(await env.StudentsAsync(school.Id), s => s.CleverStudentId == added);
        Assert.Equal((1, 0), (result.Entities.Single(e => e.EntityType == SyncEntityType.Student).Created, result.Entities.Single(e => e.EntityType == SyncEntityType.Student).Updated));
    }

    [Theory]
    [InlineData(ExpiredCursorAnswer.FromOldestKept)]
    [InlineData(ExpiredCursorAnswer.BadRequest)]
    public async Task An_expired_cursor_answered_with_200_or_400_leads_to_a_reconciliation_that_loses_nothing(ExpiredCursorAnswer answer)
    {
        await using var env = await SyncTestEnvironment.StartAsync(Small(o => o.ExpiredCursor = answer));
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var lost = env.Simulator.Store.AddStudent(school.Id);
        env.Simulator.Store.ExpireEvents();
        var kept = env.Simulator.Store.AddStudent(school.Id);

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal((SyncType.Reconciliation, SyncStatus.Success), (result.SyncType, result.Status));
        var students = await env.StudentsAsync(school.Id);
        Assert.Contains(students, s => s.CleverStudentId == lost);
        Assert.Contains(students, s => s.CleverStudentId == kept);
    }

    [Fact]
    public async Task A_deleted_user_event_that_carries_only_the_id_removes_the_user()
    {
        await using var env = await SyncTestEnvironment.StartAsync(Small(o => o.InitialEvents = true));
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var gone = (await env.StudentsAsync(school.Id))[3].CleverStudentId;
        env.Simulator.Store.RemoveUser(gone);

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal((SyncType.Incremental, SyncStatus.Success), (result.SyncType, result.Status));
        Assert.DoesNotContain(await env.StudentsAsync(school.Id), s => s.CleverStudentId == gone);
    }

    [Fact]
    public async Task Without_rate_limit_headers_429s_are_waited_out_for_a_whole_window()
    {
        // Clever's minute compressed to 2 s on both sides: 40 requests a window, no X-Ratelimit-* header at all.
        await using var env = await SyncTestEnvironment.StartAsync(
            Small(o => (o.RateLimitPerMinute, o.RateLimitWindowSeconds, o.StudentsPerSchool) = (40, 2, 400)),
            s =>
            {
                s["CleverSyncSOS:CleverApi:PageSize"] = "10";
                s["CleverSyncSOS:CleverApi:RateLimitWindowSeconds"] = "2";
            });
        await env.OnboardAsync();
        var school = env.District.Schools[0];

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.True(env.Simulator.RateLimitedCount > 0, "the rate limit was never reached");
        env.Simulator.Faults.RateLimitPerMinute = 100_000;
        using var reader = env.Reader();
        RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.Id, "student"), await env.StudentsAsync(school.Id), school.Name);
    }
}
