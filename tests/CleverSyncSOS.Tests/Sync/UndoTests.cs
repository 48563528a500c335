using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Changes;
using CleverSyncSOS.Sync.Undo;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>A run can be taken back from the change log, as its own recorded run.</summary>
public sealed class UndoTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Undo_of_a_run_that_deleted_40_students_brings_back_those_40_rows_with_their_values(DatabaseProvider provider)
    {
        var simulator = SyncTestEnvironment.SmallDistrict(students: 300, schools: 1);
        simulator.EventsEnabled = false;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var before = await env.StudentsAsync(school.Id);
        var gone = before.Skip(100).Take(40).ToList();
        foreach (var student in gone)
        {
            env.Simulator.Store.RemoveUser(student.CleverStudentId);
        }

        var deleting = Assert.Single(await env.SyncAsync());
        Assert.Equal(40, deleting.Entities.Single(e => e.EntityType == SyncEntityType.Student).Deleted);
        var run = (await env.HistoryAsync(school.Id)).Last(h => h.EntityType == SyncEntityType.Student).SyncId;

        var undone = await UndoAsync(env, run);

        Assert.Equal(SyncStatus.Success, undone.Status);
        Assert.Equal(40, undone.Entities.Single(e => e.EntityType == SyncEntityType.Student).Created);
        var after = await env.StudentsAsync(school.Id);
        Assert.Equal(
            before.Select(s => (s.CleverStudentId, s.FirstName, s.LastName, s.Email, s.Grade, s.StudentNumber, s.LastModifiedInClever, s.IsActive)),
            after.Select(s => (s.CleverStudentId, s.FirstName, s.LastName, s.Email, s.Grade, s.StudentNumber, s.LastModifiedInClever, s.IsActive)));
        Assert.True((await env.SchoolAsync(school.Id)).RequiresFullSync, "after an undo the school converges to Clever with a full sync");
        Assert.Contains(await env.HistoryAsync(school.Id), h => h.SyncType == SyncType.Undo && h.Status == SyncStatus.Success && h.RecordsCreated == 40);
    }

    [Fact]
    public async Task Undo_is_refused_when_a_later_run_changed_the_same_records_unless_forced()
    {
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        simulator.EventsEnabled = false;
        await using var env = await SyncTestEnvironment.StartAsync(simulator);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var student = (await env.StudentsAsync(school.Id))[7];
        env.Simulator.Store.UpdateUser(student.CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "First" } });
        await env.SyncAsync();
        var run = (await env.HistoryAsync(school.Id)).Last(h => h.EntityType == SyncEntityType.Student).SyncId;
        env.Simulator.Store.UpdateUser(student.CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Second" } });
        await env.SyncAsync();

        var refused = await Assert.ThrowsAsync<UndoRefusedException>(() => UndoAsync(env, run));

        Assert.Contains(student.CleverStudentId, refused.Message);
        Assert.Contains("--force", refused.Message);
        Assert.Equal("Second", (await env.StudentsAsync(school.Id)).Single(s => s.CleverStudentId == student.CleverStudentId).FirstName);

        var forced = await UndoAsync(env, run, force: true);

        Assert.Equal(SyncStatus.Success, forced.Status);
        Assert.Equal(student.FirstName, (await env.StudentsAsync(school.Id)).Single(s => s.CleverStudentId == student.CleverStudentId).FirstName);
    }

    [Fact]
    public async Task An_undo_while_a_sync_of_the_same_school_runs_is_refused_and_changes_nothing()
    {
        await using var env = await ClaimTestEnvironmentAsync();
        var school = env.District.Schools[0].Id;
        var run = (await env.HistoryAsync(school)).Last(h => h.EntityType == SyncEntityType.Student).SyncId;

        SchoolSyncResult synced;
        await using (var held = await SchoolWriteLock.TakeAsync(env, school))
        {
            var sync = Task.Run(() => env.SyncAsync(new SyncRequest(school, ForceFull: true)));
            await WaitForClaimAsync(env, school);

            var refused = await Assert.ThrowsAsync<UndoRefusedException>(() => UndoAsync(env, run));

            Assert.Contains("is being synced", refused.Message);
            Assert.Contains("nothing was undone", refused.Message);
            await held.ReleaseAsync();
            synced = Assert.Single(await sync);
        }

        Assert.Equal(SyncStatus.Success, synced.Status);
        Assert.DoesNotContain(await env.HistoryAsync(school), h => h.SyncType == SyncType.Undo);
        Assert.NotEmpty(await env.StudentsAsync(school));
    }

    [Fact]
    public async Task A_sync_while_an_undo_holds_the_school_is_refused_and_the_undo_then_completes()
    {
        await using var env = await ClaimTestEnvironmentAsync();
        var school = env.District.Schools[0].Id;
        var run = (await env.HistoryAsync(school)).Last(h => h.EntityType == SyncEntityType.Student).SyncId;

        SchoolSyncResult undone;
        await using (var held = await SchoolWriteLock.TakeAsync(env, school))
        {
            var undo = Task.Run(() => UndoAsync(env, run));
            await WaitForClaimAsync(env, school);

            var refused = Assert.Single(await env.SyncAsync(new SyncRequest(school)));

            Assert.Equal(SyncStatus.Failed, refused.Status);
            Assert.Contains("Not synced", refused.Error);
            Assert.Contains("cleversync undo", await RequestedByOfHolderAsync(env, school));
            await held.ReleaseAsync();
            undone = await undo;
        }

        Assert.Equal(SyncStatus.Success, undone.Status);
        Assert.Empty(await env.StudentsAsync(school)); // the undone run was the first, which created every student
        Assert.Equal(SyncStatus.Success, Assert.Single(await env.SyncAsync(new SyncRequest(school))).Status);
    }

    /// <summary>One school, synced once (the run the claim tests undo), without events.</summary>
    private static async Task<SyncTestEnvironment> ClaimTestEnvironmentAsync()
    {
        var simulator = SyncTestEnvironment.SmallDistrict(students: 30, teachers: 4, schools: 1);
        simulator.EventsEnabled = false;
        var env = await SyncTestEnvironment.StartAsync(simulator);
        await env.OnboardAsync();
        Assert.Equal(SyncStatus.Success, Assert.Single(await env.SyncAsync()).Status);
        return env;
    }

    /// <summary>Waits until something holds the school's claim (a sync or an undo blocked on the school's database).</summary>
    private static async Task WaitForClaimAsync(SyncTestEnvironment env, string cleverSchoolId)
    {
        var schoolId = (await env.SchoolAsync(cleverSchoolId)).SchoolId;
        for (var attempt = 0; attempt < 600; attempt++)
        {
            await using var db = await env.SessionDbAsync();
            if (await db.SyncRunSchools.AnyAsync(s => s.SchoolId == schoolId && s.Status == SyncRunStatus.Running))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("Nothing claimed the school.");
    }

    private static async Task<string?> RequestedByOfHolderAsync(SyncTestEnvironment env, string cleverSchoolId)
    {
        var schoolId = (await env.SchoolAsync(cleverSchoolId)).SchoolId;
        await using var db = await env.SessionDbAsync();
        var holder = await db.SyncRunSchools.SingleAsync(s => s.SchoolId == schoolId && s.Status == SyncRunStatus.Running);
        return (await db.SyncRuns.SingleAsync(r => r.RunId == holder.RunId)).RequestedBy;
    }

    /// <summary>Holds the school's SQLite database's write lock, so a sync or undo that got its claim waits on it.</summary>
    private sealed class SchoolWriteLock : IAsyncDisposable
    {
        private readonly CleverSyncSOS.Persistence.Schools.SchoolDbContext _db;
        private bool _released;

        private SchoolWriteLock(CleverSyncSOS.Persistence.Schools.SchoolDbContext db) => _db = db;

        public static async Task<SchoolWriteLock> TakeAsync(SyncTestEnvironment env, string cleverSchoolId)
        {
            var db = await env.Services.GetRequiredService<SchoolDatabases>().ConnectAsync(await env.SchoolAsync(cleverSchoolId), CancellationToken.None);
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("BEGIN IMMEDIATE");
            return new SchoolWriteLock(db);
        }

        public async Task ReleaseAsync()
        {
            if (!_released)
            {
                _released = true;
                await _db.Database.ExecuteSqlRawAsync("ROLLBACK");
                await _db.Database.CloseConnectionAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await ReleaseAsync();
            await _db.DisposeAsync();
        }
    }

    /// <summary>A first sync logs its rows straight as created (no stored rows to compare; on PostgreSQL by COPY here).</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_first_sync_logs_every_record_created_with_its_values_and_its_undo_empties_the_tables(DatabaseProvider provider)
    {
        var simulator = SyncTestEnvironment.SmallDistrict(students: 150, schools: 1);
        simulator.EventsEnabled = false;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, s => s[$"{SyncOptions.SectionName}:PostgreSqlCopyMinRows"] = "1", provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        var first = Assert.Single(await env.SyncAsync());
        var students = await env.StudentsAsync(school.Id);
        var run = (await env.HistoryAsync(school.Id)).Last(h => h.EntityType == SyncEntityType.Student).SyncId;

        var (_, entries) = await env.Services.GetRequiredService<ChangeLogReader>().ReadAsync(new ChangeQuery(school.Id, Run: run, Limit: 100_000), CancellationToken.None);
        Assert.Equal(first.Entities.Sum(e => e.Created), entries.Count);
        Assert.All(entries, e => Assert.Equal((ChangeAction.Created, null), (e.Action, e.OldValues)));
        var logged = entries.Where(e => e.EntityType == SyncEntityType.Student).ToDictionary(e => e.CleverId, e => JsonNode.Parse(e.NewValues!)!.AsObject());
        Assert.Equal(students.Select(s => s.CleverStudentId).Order(), logged.Keys.Order());
        Assert.All(students, s => Assert.Equal((s.FirstName, s.LastName, s.Email, s.Grade, s.StudentNumber),
            ((string?)logged[s.CleverStudentId]["FirstName"], (string?)logged[s.CleverStudentId]["LastName"], (string?)logged[s.CleverStudentId]["Email"],
                (string?)logged[s.CleverStudentId]["Grade"], (string?)logged[s.CleverStudentId]["StudentNumber"])));

        var undone = await UndoAsync(env, run);

        Assert.Equal(SyncStatus.Success, undone.Status);
        Assert.Equal(first.Entities.Sum(e => e.Created), undone.Entities.Sum(e => e.Deleted));
        Assert.Empty(await env.StudentsAsync(school.Id));
        Assert.Empty(await env.TeachersAsync(school.Id));
    }

    private static async Task<SchoolSyncResult> UndoAsync(SyncTestEnvironment env, int run, bool force = false)
    {
        await using var scope = env.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RunUndo>().UndoAsync(run, force, CancellationToken.None);
    }
}
