using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>
/// Incremental syncs read Clever's events once per district per run and apply them to every onboarded school they
/// concern, old school and new: against the simulator over HTTP, real SQLite files and real PostgreSQL, under the harsh
/// events <c>school</c> filter (a move listed under the new school only) and the kind one.
/// </summary>
public sealed class DistrictEventTests
{
    public static TheoryData<DatabaseProvider, bool> ProvidersAndReadings
    {
        get
        {
            var data = new TheoryData<DatabaseProvider, bool>();
            foreach (var provider in TestDatabases.Providers)
            {
                data.Add(provider, false);
                data.Add(provider, true);
            }

            return data;
        }
    }

    private static SimulatorOptions District(bool kinder = false, int schools = 3)
    {
        var options = SyncTestEnvironment.SmallDistrict(students: 60, teachers: 8, schools: schools);
        options.InitialEvents = true; // a real cursor from the first sync on
        return kinder ? options.Kinder() : options;
    }

    [Theory]
    [MemberData(nameof(ProvidersAndReadings))]
    public async Task A_student_who_moves_between_two_onboarded_schools_leaves_the_old_one_and_joins_the_new_one_in_one_incremental_run(
        DatabaseProvider provider, bool kinder)
    {
        await using var env = await SyncTestEnvironment.StartAsync(District(kinder), provider: provider);
        await env.OnboardAsync();
        Assert.All(await env.SyncAsync(), r => Assert.Equal(SyncStatus.Success, r.Status));
        var (from, to) = (env.District.Schools[0].Id, env.District.Schools[1].Id);
        var mover = Move(env.Simulator.Store, from, to);

        var results = await env.SyncAsync();

        Assert.All(results, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), (r.SyncType, r.Status)));
        Assert.DoesNotContain(await env.StudentsAsync(from), s => s.CleverStudentId == mover);
        Assert.Contains(await env.StudentsAsync(to), s => s.CleverStudentId == mover);
        await AssertDistrictEqualsCleverAsync(env);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_school_whose_database_is_down_fails_alone_and_catches_up_on_the_next_run_with_nothing_missed(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(District(), provider: provider);
        await env.OnboardAsync();
        await env.SyncAsync();
        var schools = env.District.Schools;
        var down = schools[1];
        var store = env.Simulator.Store;
        ChangeEverySchool(store, schools);
        var movedIn = Move(store, schools[0].Id, down.Id);

        await using (await TakeDownAsync(env, down.Id))
        {
            var first = await env.SyncAsync();

            Assert.Equal(SyncStatus.Failed, first.Single(r => r.CleverSchoolId == down.Id).Status);
            Assert.All(first.Where(r => r.CleverSchoolId != down.Id), r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), (r.SyncType, r.Status)));
            Assert.DoesNotContain(await env.StudentsAsync(schools[0].Id), s => s.CleverStudentId == movedIn);
            await AssertDistrictEqualsCleverAsync(env, schools.Where(s => s != down));
        }

        // More changes while the school was behind, one of them a move out of it.
        ChangeEverySchool(store, schools);
        var movedOut = Move(store, down.Id, schools[2].Id, except: movedIn);

        var second = await env.SyncAsync();

        Assert.All(second, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), (r.SyncType, r.Status)));
        Assert.Contains(await env.StudentsAsync(down.Id), s => s.CleverStudentId == movedIn);
        Assert.DoesNotContain(await env.StudentsAsync(down.Id), s => s.CleverStudentId == movedOut);
        await AssertDistrictEqualsCleverAsync(env);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_school_that_no_new_event_concerns_moves_its_cursor_past_them_without_opening_its_database(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(District(), provider: provider);
        await env.OnboardAsync();
        await env.SyncAsync();
        var (busy, quiet) = (env.District.Schools[0], env.District.Schools[1]);
        var store = env.Simulator.Store;
        // An addition and an edit in one school only (a users.deleted that carries only an id may concern any school).
        var students = store.GetUserIds(busy.Id, "student");
        store.AddStudent(busy.Id);
        store.UpdateUser(students[1], new JsonObject { ["name"] = new JsonObject { ["last"] = "Hopper" } });
        var before = await CursorsAsync(env, quiet.Id);

        await using (await TakeDownAsync(env, quiet.Id))
        {
            var results = await env.SyncAsync();

            Assert.All(results, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), Pair(r)));
            Assert.All(results.Single(r => r.CleverSchoolId == quiet.Id).Entities, e => Assert.Equal(0, e.Processed + e.Created + e.Updated + e.Deleted));
            var after = await CursorsAsync(env, quiet.Id);
            Assert.NotEqual(before, after);
            Assert.Equal(await CursorsAsync(env, busy.Id), after);
        }

        ChangeEverySchool(store, env.District.Schools);
        var next = await env.SyncAsync();

        Assert.All(next, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), Pair(r)));
        await AssertDistrictEqualsCleverAsync(env);
    }

    [Fact]
    public async Task A_run_reads_each_district_event_stream_once_without_a_school_filter_however_many_schools_it_has()
    {
        var simulator = District(schools: 4);
        simulator.Districts = 2;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, s => s["CleverSyncSOS:CleverApi:PageSize"] = "3", behindProxy: true);
        foreach (var district in env.Simulator.Districts)
        {
            await env.OnboardAsync(district: district);
        }

        Assert.All(await env.SyncAsync(), r => Assert.Equal((SyncType.Full, SyncStatus.Success), (r.SyncType, r.Status)));
        // The cursor taken before the full reads is looked up once per district too, not once per school.
        Assert.All(EventRequests(env).GroupBy(r => r.Authorization), d => Assert.Single(d, r => r.PathAndQuery.Contains("ending_before=last", StringComparison.Ordinal)));
        foreach (var district in env.Simulator.Districts)
        {
            ChangeEverySchool(env.Simulator.Store, district.Schools);
        }

        env.Proxy!.Requests.Clear();

        var results = await env.SyncAsync();

        Assert.Equal(8, results.Count);
        Assert.All(results, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), (r.SyncType, r.Status)));
        var byDistrict = EventRequests(env).GroupBy(r => r.Authorization).ToList();
        Assert.Equal(2, byDistrict.Count);
        const int eventsPerDistrict = 4 * 3; // ChangeEverySchool: three events per school
        foreach (var district in byDistrict)
        {
            Assert.DoesNotContain(district, r => r.PathAndQuery.Contains("school=", StringComparison.Ordinal));
            Assert.Single(district, r => r.PathAndQuery.StartsWith("/v3.0/events/", StringComparison.Ordinal)); // the cursor is still kept
            var pages = district.Where(r => r.PathAndQuery.StartsWith("/v3.0/events?", StringComparison.Ordinal)).Select(r => r.PathAndQuery).ToList();
            Assert.Equal(pages.Count, pages.Distinct(StringComparer.Ordinal).Count());
            Assert.InRange(pages.Count, eventsPerDistrict / 3, (eventsPerDistrict / 3) + 1); // the harsh last page links to an empty one
        }

        foreach (var district in env.Simulator.Districts)
        {
            using var reader = new CleverHttpReader(env.Simulator.BaseUrl, district.ClientId, district.ClientSecret, district.Id);
            foreach (var school in district.Schools)
            {
                RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.Id, "student"), await env.StudentsAsync(school.Id), school.Name);
            }
        }
    }

    [Fact]
    public async Task Schools_run_one_claimed_job_at_a_time_as_the_service_runs_them_share_one_event_read_per_district()
    {
        await using var env = await SyncTestEnvironment.StartAsync(District(schools: 4), behindProxy: true);
        await env.OnboardAsync();
        await env.SyncAsync();
        ChangeEverySchool(env.Simulator.Store, env.District.Schools);
        env.Proxy!.Requests.Clear();
        var runs = env.Services.GetRequiredService<CleverSyncSOS.Runs.SyncRunStore>();
        var orchestrator = env.Services.GetRequiredService<SyncOrchestrator>();
        var run = await runs.CreateRunAsync(SyncTrigger.Schedule, new SyncRequest(), null, null, CancellationToken.None);

        // What each school's Quartz job does: its own claim, then RunClaimedAsync with the run's id.
        var results = new List<SchoolSyncResult>();
        foreach (var target in await orchestrator.LoadTargetsAsync(null, null, CancellationToken.None))
        {
            var claim = await runs.TryClaimAsync(run.RunId, target.School.SchoolId, SyncRunStatus.Queued, CancellationToken.None);
            Assert.True(await runs.StartAsync(claim.RowId!.Value, CancellationToken.None));
            results.Add(await orchestrator.RunClaimedAsync(claim.RowId!.Value, run.RunId, target, new SyncRequest(), null, CancellationToken.None));
        }

        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), Pair(r)));
        Assert.Single(EventRequests(env), r => r.PathAndQuery.StartsWith("/v3.0/events/", StringComparison.Ordinal));
        await AssertDistrictEqualsCleverAsync(env);
    }

    [Fact]
    public async Task A_school_onboarded_mid_stream_starts_with_a_full_sync_while_the_others_apply_events()
    {
        await using var env = await SyncTestEnvironment.StartAsync(District());
        var schools = env.District.Schools;
        await env.OnboardAsync(schools: schools.Take(2));
        await env.SyncAsync();
        ChangeEverySchool(env.Simulator.Store, schools);
        await env.AddSchoolAsync(schools[2]);

        var joined = await env.SyncAsync();

        Assert.Equal((SyncType.Full, SyncStatus.Success), Pair(joined.Single(r => r.CleverSchoolId == schools[2].Id)));
        Assert.All(joined.Where(r => r.CleverSchoolId != schools[2].Id), r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), Pair(r)));
        await AssertDistrictEqualsCleverAsync(env);

        ChangeEverySchool(env.Simulator.Store, schools);
        Move(env.Simulator.Store, schools[0].Id, schools[2].Id);

        var next = await env.SyncAsync();

        Assert.All(next, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), Pair(r)));
        await AssertDistrictEqualsCleverAsync(env);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Section_and_course_events_from_the_district_stream_reach_the_schools_they_concern_and_leave_the_others_unwritten(bool kinder)
    {
        await using var env = await SyncTestEnvironment.StartAsync(District(kinder));
        await env.OnboardAsync();
        await env.SyncAsync();
        var store = env.Simulator.Store;
        var (a, b, c) = (env.District.Schools[0].Id, env.District.Schools[1].Id, env.District.Schools[2].Id);
        store.RenameSection(store.GetSectionIds(a)[0], "Algebra I - Honors");
        store.AddSection(b, store.GetUserIds(b, "teacher")[0], store.GetUserIds(b, "student").Take(3));
        store.RemoveSection(store.GetSectionIds(b)[1]);
        store.RenameCourse((string)store.GetSections(a)[0]["course"]!, "Algebra I (new syllabus)");

        var results = await env.SyncAsync();

        Assert.All(results, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), Pair(r)));
        var untouched = results.Single(r => r.CleverSchoolId == c).Entities.Where(e => e.EntityType is SyncEntityType.Section or SyncEntityType.SectionStudent);
        Assert.All(untouched, e => Assert.Equal(0, e.Created + e.Updated + e.Deleted));
        await AssertDistrictEqualsCleverAsync(env);
    }

    [Fact]
    public async Task More_new_events_than_are_kept_in_memory_make_the_run_a_full_comparison_and_the_next_run_incremental_again()
    {
        await using var env = await SyncTestEnvironment.StartAsync(District(), s => s["CleverSyncSOS:Sync:MaxBufferedEvents"] = "100");
        await env.OnboardAsync();
        await env.SyncAsync();
        for (var i = 0; i < 12; i++)
        {
            ChangeEverySchool(env.Simulator.Store, env.District.Schools, round: i); // 9 events each time: 108 in all
        }

        var beyond = await env.SyncAsync();

        Assert.All(beyond, r => Assert.Equal((SyncType.Reconciliation, SyncStatus.Success), Pair(r)));
        await AssertDistrictEqualsCleverAsync(env);
        ChangeEverySchool(env.Simulator.Store, env.District.Schools);

        var next = await env.SyncAsync();

        Assert.All(next, r => Assert.Equal((SyncType.Incremental, SyncStatus.Success), Pair(r)));
        await AssertDistrictEqualsCleverAsync(env);
    }

    private static (SyncType, string) Pair(SchoolSyncResult result) => (result.SyncType, result.Status);

    /// <summary>Moves a student of <paramref name="from"/> (in no other school) to <paramref name="to"/>, classes included: one users.updated naming the new school only, two sections.updated.</summary>
    private static string Move(SimulatorStore store, string from, string to, string? except = null)
    {
        var elsewhere = store.Districts.SelectMany(d => d.Schools).Where(s => s.Id != from)
            .SelectMany(s => store.GetUserIds(s.Id, "student").Concat(store.GetUserIds(s.Id, "teacher"))).ToHashSet(StringComparer.Ordinal);
        var mover = store.GetUserIds(from, "student").First(id => id != except && !elsewhere.Contains(id) && !store.GetUserIds(from, "teacher").Contains(id));
        Assert.True(store.UpdateUser(mover, new JsonObject
        {
            ["roles"] = new JsonObject { ["student"] = new JsonObject { ["school"] = to, ["schools"] = new JsonArray(to) } },
        }));
        var oldSection = store.GetSections(from).First(s => s["students"]!.AsArray().Any(x => (string?)x == mover));
        Assert.True(store.MoveStudentBetweenSections(mover, (string)oldSection["id"]!, store.GetSectionIds(to)[0]));
        return mover;
    }

    /// <summary>An addition, an edit and a removal in each school: three events per school.</summary>
    private static void ChangeEverySchool(SimulatorStore store, IEnumerable<SimulatedSchool> schools, int round = 0)
    {
        foreach (var school in schools)
        {
            var students = store.GetUserIds(school.Id, "student");
            store.AddStudent(school.Id);
            store.UpdateUser(students[1], new JsonObject { ["name"] = new JsonObject { ["last"] = $"Lovelace{students.Count}-{round}" } });
            store.RemoveUser(students[2]);
        }
    }

    /// <summary>The event cursors the school's latest history rows hold, by entity.</summary>
    private static async Task<List<(string, string?)>> CursorsAsync(SyncTestEnvironment env, string cleverSchoolId)
    {
        var school = await env.SchoolAsync(cleverSchoolId);
        await using var db = await env.SessionDbAsync();
        var rows = await db.SyncHistory.AsNoTracking().Where(h => h.SchoolId == school.SchoolId).ToListAsync();
        return rows.GroupBy(h => h.EntityType).Select(g => (g.Key, g.OrderByDescending(h => h.SyncId).First().LastEventId)).OrderBy(c => c.Key).ToList();
    }

    private static List<(string PathAndQuery, string Authorization)> EventRequests(SyncTestEnvironment env) =>
        env.Proxy!.Requests.Where(r => r.PathAndQuery.StartsWith("/v3.0/events", StringComparison.Ordinal)).ToList();

    private static async Task AssertDistrictEqualsCleverAsync(SyncTestEnvironment env, IEnumerable<SimulatedSchool>? schools = null)
    {
        using var reader = env.Reader();
        var store = env.Simulator.Store;
        foreach (var school in schools ?? env.District.Schools)
        {
            RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.Id, "student"), await env.StudentsAsync(school.Id), school.Name);
            RosterAssert.TeachersEqual(await reader.GetSchoolUsersAsync(school.Id, "teacher"), await env.TeachersAsync(school.Id), school.Name);
            await using var db = await ClassSyncTests.OpenAsync(env, school.Id);
            ClassSyncTests.AssertSectionsEqual(store.GetSections(school.Id), await db.Sections.AsNoTracking().ToListAsync(),
                await db.SectionStudents.AsNoTracking().ToListAsync(), await db.SectionTeachers.AsNoTracking().ToListAsync());
            // Every course the school's sections use, named as Clever names it. A course its sections stopped using stays
            // until the next full read (no event says so), as with any sync from events.
            var courses = (await db.Courses.AsNoTracking().ToListAsync()).ToDictionary(c => c.CleverCourseId, c => c.Name);
            Assert.All(store.GetCourses(school.Id), c => Assert.Equal((string?)c["name"], courses.GetValueOrDefault((string)c["id"]!)));
        }
    }

    /// <summary>
    /// Makes the school's database unreachable until disposed: its SQLite file replaced by a directory, or its PostgreSQL
    /// database closed to connections (and its open connections ended).
    /// </summary>
    private static async Task<IAsyncDisposable> TakeDownAsync(SyncTestEnvironment env, string cleverSchoolId)
    {
        var connectionString = await env.Services.GetRequiredService<SchoolDatabases>().ConnectionStringAsync(await env.SchoolAsync(cleverSchoolId), CancellationToken.None);
        if (env.Provider == DatabaseProvider.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            var moved = new[] { "", "-wal", "-shm" }.Where(s => File.Exists(path + s)).ToList();
            moved.ForEach(s => File.Move(path + s, path + s + ".away"));
            Directory.CreateDirectory(path);
            return new Restore(() =>
            {
                Directory.Delete(path);
                moved.ForEach(s => File.Move(path + s + ".away", path + s));
                return Task.CompletedTask;
            });
        }

        var database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        await PostgresAsync($"ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid();");
        Npgsql.NpgsqlConnection.ClearAllPools();
        return new Restore(() => PostgresAsync($"ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS true"));
    }

    private static async Task PostgresAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(TestDatabases.PostgresServer) { Database = "postgres", Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }
}
