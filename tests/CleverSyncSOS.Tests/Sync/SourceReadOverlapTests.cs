using System.Net;
using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>
/// A full read takes two of a school's Clever sources at once (students and teachers), so a second source's pages are
/// not queued behind the first's; the promises of a full read hold as they did one source at a time.
/// </summary>
public sealed class SourceReadOverlapTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Teachers_are_read_while_the_student_pages_are_still_coming(DatabaseProvider provider)
    {
        var teacherAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var heldInVain = false;
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 300, schools: 1), provider: provider, behindProxy: true);
        env.Proxy!.Rewrite = async (context, _) =>
        {
            var query = context.Request.QueryString.Value ?? "";
            if (query.Contains("role=teacher", StringComparison.Ordinal))
            {
                teacherAsked.TrySetResult();
            }
            else if (query.Contains("role=student", StringComparison.Ordinal) && query.Contains("starting_after=", StringComparison.Ordinal))
            {
                // The second student page is answered only once the teachers were asked for: one source at a time would
                // never ask, and the bound below would let the sync go on with the order showing it.
                heldInVain = !await teacherAsked.Task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => t.IsCompletedSuccessfully);
            }

            return false;
        };
        await env.OnboardAsync();
        var school = env.District.Schools[0];

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.False(heldInVain, "the teachers were not asked for until the students had been read");
        var users = env.Proxy.Requests.Select(r => r.PathAndQuery).Where(p => p.Contains("/users?", StringComparison.Ordinal)).ToList();
        Assert.True(users.FindIndex(p => p.Contains("role=teacher", StringComparison.Ordinal))
                    < users.FindLastIndex(p => p.Contains("role=student", StringComparison.Ordinal)), string.Join("\n", users));
        using var reader = env.Reader();
        RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.Id, "student"), await env.StudentsAsync(school.Id), school.Name);
        Assert.Equal((await reader.GetSchoolUsersAsync(school.Id, "teacher")).Count, (await env.TeachersAsync(school.Id)).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_student_page_that_fails_while_the_teachers_are_read_changes_nothing(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 300, teachers: 40, schools: 1),
            s => s["CleverSyncSOS:CleverApi:PageSize"] = "20", provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var students = await env.StudentsAsync(school.Id);
        var teachers = await env.TeachersAsync(school.Id);
        // Clever drops half the teachers and renames a student; the student read then fails on its last page (the 15th, 20 students a page),
        // by which time the teachers (two pages) have been read to the end.
        env.Simulator.Store.KeepOnlyFraction(school.Id, "teacher", 0.5, withEvents: false);
        env.Simulator.Store.UpdateUser(students[0].CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Renamed" } });
        env.Simulator.Faults.Add(new FaultRule { PathContains = "role=student", Skip = 14, StatusCode = (int)HttpStatusCode.InternalServerError });

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true, AllowMassDelete: true)));

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Equal(students.Select(s => (s.CleverStudentId, s.FirstName, s.UpdatedAt)),
            (await env.StudentsAsync(school.Id)).Select(s => (s.CleverStudentId, s.FirstName, s.UpdatedAt)));
        Assert.Equal(teachers.Select(t => (t.CleverTeacherId, t.IsActive, t.UpdatedAt)),
            (await env.TeachersAsync(school.Id)).Select(t => (t.CleverTeacherId, t.IsActive, t.UpdatedAt)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Read_one_source_at_a_time_a_failed_student_read_asks_for_nothing_after_it(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 300, schools: 1),
            s => s["CleverSyncSOS:Sync:SourcesReadAtOnce"] = "1", provider: provider, behindProxy: true);
        await env.OnboardAsync();
        env.Simulator.Faults.Add(new FaultRule { PathContains = "role=student", Skip = 1, StatusCode = (int)HttpStatusCode.InternalServerError });

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Empty(await env.StudentsAsync(env.District.Schools[0].Id));
        // After the second student page first failed, only its retries: no teacher, section, course or term page.
        var data = env.Proxy!.Requests.Select(r => r.PathAndQuery).Where(p => p.StartsWith("/v3.0/", StringComparison.Ordinal)).ToList();
        var failed = data.FindIndex(p => p.Contains("role=student", StringComparison.Ordinal) && p.Contains("starting_after=", StringComparison.Ordinal));
        Assert.True(failed >= 0, string.Join("\n", data));
        Assert.All(data.Skip(failed), p => Assert.Equal(data[failed], p));
        Assert.True(data.Count - failed > 1, "the failed page was not retried");
    }

    /// <summary>
    /// A full read asks Clever for its first page while the school's database is still being opened; when the opening
    /// fails, the run stops that read before it ends (a read left running would go on asking Clever for a run that is over).
    /// </summary>
    [Fact]
    public async Task The_first_page_is_asked_for_while_the_database_opens_and_a_database_that_fails_to_open_stops_the_read()
    {
        if (TestDatabases.PostgresServer is null)
        {
            return; // PostgreSQL only (a table lock holds the opening); CI always names a server (TestDatabases).
        }

        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var abandoned = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 300, schools: 1),
            provider: DatabaseProvider.PostgreSql, behindProxy: true);
        env.Proxy!.Rewrite = async (context, _) =>
        {
            var query = context.Request.QueryString.Value ?? "";
            if (!query.Contains("role=student", StringComparison.Ordinal) || query.Contains("starting_after=", StringComparison.Ordinal))
            {
                return false;
            }

            // The first student page is held unanswered: only the end of the sync's read lets its client go.
            asked.TrySetResult();
            abandoned.TrySetResult(await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(t => t.IsCanceled));
            return true;
        };
        await env.OnboardAsync();
        var school = await env.SchoolAsync(env.District.Schools[0].Id);
        var connectionString = await env.Services.GetRequiredService<SchoolDatabases>().ConnectionStringAsync(school, CancellationToken.None);

        // Before it writes, the sync counts what the school's tables hold, so its opening waits while this transaction holds
        // the students' table (onboarding already did the migration check this process would do first).
        await using (var holder = new NpgsqlConnection(connectionString))
        {
            await holder.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE \"Students\" IN ACCESS EXCLUSIVE MODE", holder, hold))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            var run = env.SyncAsync();
            await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.False(run.IsCompleted);

            // The sync's connection comes to wait for the table; the database then fails it (the connection is ended, as
            // by a restarting server).
            // (Watched from a connection of its own: a transaction sees one snapshot of pg_stat_activity.)
            await using var watcher = new NpgsqlConnection(connectionString);
            await watcher.OpenAsync();
            await using (var terminate = new NpgsqlCommand(
                             "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watcher))
            {
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while ((long)(await terminate.ExecuteScalarAsync(patience.Token))! == 0)
                {
                    await Task.Delay(20, patience.Token);
                }
            }

            var result = Assert.Single(await run);
            Assert.Equal(SyncStatus.Failed, result.Status);
            Assert.Contains("Nothing was changed", result.Error);
            Assert.True(await abandoned.Task.WaitAsync(TimeSpan.FromSeconds(60)), "the held student page was still awaited after the run ended");
        }

        Assert.Single(env.Proxy.Requests, r => r.PathAndQuery.Contains("role=student", StringComparison.Ordinal));
        env.Proxy.Rewrite = null;
        Assert.Equal(SyncStatus.Success, Assert.Single(await env.SyncAsync()).Status);
        using var reader = env.Reader();
        RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.CleverSchoolId, "student"), await env.StudentsAsync(school.CleverSchoolId), school.Name);
    }
}
