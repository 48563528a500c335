using System.Text.Json.Nodes;
using CleverSyncSOS.Bench.Harness;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Bench.Workers;

/// <summary>
/// Incremental syncs of whole districts from one event stream per district: how many requests a run costs against
/// the per-school reading it replaced, whether a moved student is in the new school only after one run, and a large
/// district under Clever's rate limit, full then incremental.
/// </summary>
internal static class DistrictEventWorkers
{
    /// <summary>
    /// Every school of the district fully synced, then 1 % of each school's users changed and one incremental run
    /// measured; its requests against what reading each school's events would cost (measured the old way over HTTP, from
    /// the same cursor, before the run). Then a student moved between two schools and one more incremental run.
    /// </summary>
    public static async Task EventsAsync(WorkerRequest request, WorkerResult result, WorkerLog log, CancellationToken cancellationToken)
    {
        await EngineWorkers.WarmUpAsync(request, result, log, cancellationToken);
        await using var harness = await SyncHarness.StartAsync(EngineWorkers.Settings(request, request.SimulatorUrl), cancellationToken);
        await harness.OnboardAsync(null, cancellationToken);
        var schools = harness.District.Schools;
        EngineWorkers.Add(result, log, await EngineWorkers.MeasureSyncAsync("events-full", harness, null, memory: true, cancellationToken));

        var changed = await ChangeOnePercentAsync(harness, request.Size, cancellationToken);
        var cursor = await OldestCursorAsync(harness, cancellationToken);
        using var raw = await RawCleverReader.ConnectAsync(request.SimulatorUrl, cancellationToken);
        var perSchool = 0;
        foreach (var school in schools)
        {
            perSchool += await raw.CountSchoolEventRequestsAsync(school.Id, cursor, request.PageSize, cancellationToken);
        }

        var incremental = await EngineWorkers.MeasureSyncAsync("events-incremental", harness, null, memory: true, cancellationToken);
        var pages = Math.Max(1, (int)Math.Ceiling(changed / (double)request.PageSize));
        incremental.Extra["usersChanged"] = changed;
        incremental.Extra["eventPages"] = pages;
        incremental.Extra["perSchoolRequests"] = perSchool;
        incremental.Extra["vsPerSchool"] = perSchool / (double)Math.Max(1, incremental.Requests.GetValueOrDefault());
        incremental.Extra["withinPagesPlusOne"] = incremental.Requests <= pages + 1 ? 1 : 0;
        EngineWorkers.Add(result, log, incremental);
        log.Write($"  {incremental.Requests} requests for {changed} changed users in {schools.Count} schools; reading per school took {perSchool}");

        // A student of the first school (and of no other) moves to the second.
        var (from, to) = (schools[0].Id, schools[1].Id);
        string? mover = null;
        await raw.ReadSchoolUsersAsync(from, "student", request.PageSize, u => mover ??= u.Roles?.Student?.Schools is [var only] && only == from ? u.Id : null, cancellationToken);
        await harness.Admin.UpdateUserAsync(mover!, new JsonObject
        {
            ["roles"] = new JsonObject { ["student"] = new JsonObject { ["school"] = to, ["schools"] = new JsonArray(to) } },
        }, cancellationToken);
        var moved = await EngineWorkers.MeasureSyncAsync("events-moved-student", harness, null, memory: false, cancellationToken);
        var inOld = await HoldsStudentAsync(harness, from, mover!, cancellationToken);
        var inNew = await HoldsStudentAsync(harness, to, mover!, cancellationToken);
        moved.Extra["movedOnlyInNewSchool"] = !inOld && inNew ? 1 : 0;
        EngineWorkers.Add(result, log, moved);
        log.Write($"  moved student {mover}: in the old school {inOld}, in the new school {inNew}");
    }

    /// <summary>
    /// A district under the simulator's rate limit (set by the parent): a full sync of every school, then 1 % changed and
    /// an incremental run. The floor is the time the limit alone imposes on the requests the run made.
    /// </summary>
    public static async Task FleetAsync(WorkerRequest request, WorkerResult result, WorkerLog log, CancellationToken cancellationToken)
    {
        await EngineWorkers.WarmUpAsync(request, result, log, cancellationToken);
        await using var harness = await SyncHarness.StartAsync(EngineWorkers.Settings(request, request.SimulatorUrl), cancellationToken);
        await harness.OnboardAsync(null, cancellationToken);
        var allowedPerSecond = request.RateLimitPerWindow / (double)request.RateLimitWindowSeconds;
        var full = await EngineWorkers.MeasureSyncAsync("fleet-full", harness, null, memory: true, cancellationToken);
        AddFloor(full, allowedPerSecond, request);
        EngineWorkers.Add(result, log, full);
        log.Write($"  full: {full.Seconds:F1} s against a floor of {full.Extra["floorSeconds"]:F1} s ({full.Requests} requests)");

        var changed = await ChangeOnePercentAsync(harness, request.Size, cancellationToken);
        var incremental = await EngineWorkers.MeasureSyncAsync("fleet-incremental", harness, null, memory: true, cancellationToken);
        incremental.Extra["usersChanged"] = changed;
        AddFloor(incremental, allowedPerSecond, request);
        EngineWorkers.Add(result, log, incremental);
    }

    private static void AddFloor(Measurement m, double allowedPerSecond, WorkerRequest request)
    {
        m.Extra["limitPerWindow"] = request.RateLimitPerWindow;
        m.Extra["windowSeconds"] = request.RateLimitWindowSeconds;
        m.Extra["floorSeconds"] = m.Requests.GetValueOrDefault() / allowedPerSecond;
        m.Extra["vsFloor"] = m.Seconds / Math.Max(0.001, m.Extra["floorSeconds"]);
    }

    /// <summary>1 % of every school's users (students and teachers) changed: a tenth added, a tenth removed, the rest edited.</summary>
    private static async Task<int> ChangeOnePercentAsync(SyncHarness harness, int students, CancellationToken cancellationToken)
    {
        var perSchool = Math.Max(1, (int)Math.Round((students + (students / 20)) * 0.01));
        var changed = 0;
        foreach (var (school, i) in harness.District.Schools.Select((s, i) => (s, i)))
        {
            var adds = perSchool >= 5 ? perSchool / 5 : 0;
            var applied = await harness.Admin.ApplyRandomChangesAsync(school.Id, adds, perSchool - (2 * adds), adds, seed: 20261201 + i, cancellationToken);
            changed += applied.Added.Count + applied.Updated.Count + applied.Removed.Count;
        }

        return changed;
    }

    private static async Task<string> OldestCursorAsync(SyncHarness harness, CancellationToken cancellationToken)
    {
        await using var db = await harness.Services.GetRequiredService<SessionDatabase>().CreateDbContextAsync(cancellationToken);
        var cursors = await db.SyncHistory.Where(h => h.LastEventId != null && h.LastEventId != "").Select(h => h.LastEventId!).ToListAsync(cancellationToken);
        return cursors.Min(StringComparer.Ordinal) ?? throw new InvalidOperationException("The full sync stored no event cursor.");
    }

    private static async Task<bool> HoldsStudentAsync(SyncHarness harness, string cleverSchoolId, string studentId, CancellationToken cancellationToken)
    {
        var school = await harness.SchoolAsync(cleverSchoolId, cancellationToken);
        await using var db = await harness.Services.GetRequiredService<SchoolDatabases>().OpenAsync(school, cancellationToken);
        return await db.Students.AnyAsync(s => s.CleverStudentId == studentId, cancellationToken);
    }
}
