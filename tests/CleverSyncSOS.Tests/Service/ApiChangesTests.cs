using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Runs;
using CleverSyncSOS.Tests.OperatorConsole;
using CleverSyncSOS.Tests.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Service;

/// <summary>The change log and dry runs through the JSON API and the console, read as the CLI reads them.</summary>
public sealed class ApiChangesTests
{
    [Fact]
    public async Task The_changes_of_a_run_are_listed_with_old_and_new_values_by_API_and_console_and_nothing_of_another_district_is_shown()
    {
        await using var site = await ConsoleSite.StartAsync(students: 30, configure: (c, env) =>
        {
            c["CleverSyncSOS:Api:KeySecretNames:0"] = ApiOptions.DefaultKeySecretName;
            c["CleverSyncSOS:Api:KeySecretNames:1"] = ApiDistrictLimitTests.LimitedKeySecret;
            c[$"CleverSyncSOS:Api:KeyDistricts:{ApiDistrictLimitTests.LimitedKeySecret}:0"] = env.Simulator.Districts[1].Id;
        });
        await site.Env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(ApiDistrictLimitTests.LimitedKeySecret, ApiDistrictLimitTests.LimitedKey, CancellationToken.None);
        var school = site.First.Schools[0];
        var students = await site.Env.StudentsAsync(school.Id);
        var (renamed, removed) = (students[1], students[2]);
        site.Env.Simulator.Store.UpdateUser(renamed.CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["last"] = "Hopper" } });
        site.Env.Simulator.Store.RemoveUser(removed.CleverStudentId);
        var added = site.Env.Simulator.Store.AddStudent(school.Id);

        var run = await FullSyncAsync(site, school.Id);
        var entities = run.GetProperty("schools")[0].GetProperty("entities").EnumerateArray().ToList();
        var syncIds = entities.Select(e => e.GetProperty("syncId").GetInt32()).ToHashSet();
        var (ok, body) = await site.Serve.SendAsync(HttpMethod.Get, $"api/schools/{school.Id}/changes?run={syncIds.Min()}&limit=1000");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var changes = body.GetProperty("changes").EnumerateArray().ToList();

        // Exactly the run's changes: as many as its history counts, all of its rows, and the students' ones with their values.
        Assert.Equal(entities.Sum(e => e.GetProperty("recordsCreated").GetInt32() + e.GetProperty("recordsUpdated").GetInt32() + e.GetProperty("recordsDeleted").GetInt32()),
            changes.Count);
        Assert.All(changes, c => Assert.Contains(c.GetProperty("run").GetInt32(), syncIds));
        var studentChanges = changes.Where(c => c.GetProperty("entityType").GetString() == "Student")
            .ToDictionary(c => c.GetProperty("cleverId").GetString()!, c => c);
        Assert.Equal(new[] { added, removed.CleverStudentId, renamed.CleverStudentId }.Order(StringComparer.Ordinal), studentChanges.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Created", studentChanges[added].GetProperty("action").GetString());
        var lastName = studentChanges[renamed.CleverStudentId].GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("field").GetString() == "LastName");
        Assert.Equal(("Updated", "LastName", renamed.LastName, "Hopper"), (studentChanges[renamed.CleverStudentId].GetProperty("action").GetString(),
            lastName.GetProperty("field").GetString(), lastName.GetProperty("old").GetString(), lastName.GetProperty("new").GetString()));
        var deleted = studentChanges[removed.CleverStudentId];
        Assert.Equal("Deleted", deleted.GetProperty("action").GetString());
        Assert.Contains(deleted.GetProperty("fields").EnumerateArray(), f => f.GetProperty("field").GetString() == "LastName"
            && f.GetProperty("old").GetString() == removed.LastName && f.GetProperty("new").ValueKind == JsonValueKind.Null);

        // One record, across runs; and bad filters are refused by name.
        var (_, one) = await site.Serve.SendAsync(HttpMethod.Get, $"api/schools/{school.Id}/changes?cleverId={renamed.CleverStudentId}");
        Assert.Contains(one.GetProperty("changes").EnumerateArray(), c => c.GetProperty("action").GetString() == "Updated");
        Assert.All(one.GetProperty("changes").EnumerateArray(), c => Assert.Contains(renamed.CleverStudentId, c.GetProperty("cleverId").GetString()));
        // The CLI reads the same log the same way.
        var cli = await Cli.CliProcess.RunAsync(null, null, "changes", "--school", school.Id, "--clever-id", renamed.CleverStudentId, "--data-dir", site.Env.DataDir);
        Assert.True(cli.ExitCode == 0, cli.Output);
        Assert.True(new[] { "Updated", "→", "Hopper" }.All(s => cli.Stdout.Contains(s, StringComparison.Ordinal)), cli.Output); // the table wraps at 80 columns
        foreach (var bad in new[] { "limit=0", "limit=1001", "run=0", "run=abc", "cleverId=" + new string('x', 101) })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await site.Serve.SendAsync(HttpMethod.Get, $"api/schools/{school.Id}/changes?{bad}")).Response.StatusCode);
        }

        // Another school's run reads as a run that does not exist.
        var otherSchoolRun = await FullSyncAsync(site, site.First.Schools[1].Id);
        var otherSyncId = otherSchoolRun.GetProperty("schools")[0].GetProperty("entities")[0].GetProperty("syncId").GetInt32();
        var (foreignRun, foreignAnswer) = await site.Serve.SendAsync(HttpMethod.Get, $"api/schools/{school.Id}/changes?run={otherSyncId}");
        Assert.Equal(HttpStatusCode.NotFound, foreignRun.StatusCode);
        Assert.DoesNotContain(site.First.Schools[1].Id, foreignAnswer.GetProperty("detail").GetString());

        // A key limited to the other district gets the answer of a school that does not exist.
        async Task<(HttpStatusCode, string)> Limited(string school)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/schools/{school}/changes");
            request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, ApiDistrictLimitTests.LimitedKey);
            using var response = await site.Serve.Http.SendAsync(request);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return (response.StatusCode, json.TryGetProperty("detail", out var detail) ? detail.GetString()!.Replace(school, "?", StringComparison.Ordinal) : "");
        }

        Assert.Equal(HttpStatusCode.OK, (await Limited(site.Second.Schools[0].Id)).Item1);
        Assert.Equal(await Limited("nowhere-0000"), await Limited(school.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await Limited(school.Id)).Item1);

        // The console: a viewer reads the run's changes (linked from the run's page); a user of the other district finds no such school.
        using var viewer = await site.ClientAsync(ConsoleSite.Viewer);
        var runPage = await (await viewer.GetAsync($"/runs/{run.GetProperty("runId").GetGuid()}")).Content.ReadAsStringAsync();
        var link = $"/schools/{school.Id}/changes?run={entities[0].GetProperty("syncId").GetInt32()}";
        Assert.Contains($"href=\"{link}\"", runPage);
        Assert.Contains($"href=\"/schools/{school.Id}/changes\"", await (await viewer.GetAsync($"/schools/{school.Id}")).Content.ReadAsStringAsync());
        using var page = await viewer.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains($"<td><code>{renamed.CleverStudentId}</code></td>", html);
        Assert.Contains($"LastName: {renamed.LastName} → Hopper", html);
        Assert.Contains($"<td><code>{removed.CleverStudentId}</code></td>", html);

        using var limited = await site.ClientAsync(ConsoleSite.Limited);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await limited.GetAsync($"/schools/{site.Second.Schools[0].Id}/changes")).StatusCode);
        using var anonymous = await site.ClientAsync(null);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task A_dry_run_through_the_API_predicts_what_the_real_run_then_does_writes_nothing_and_does_not_read_a_school_being_synced()
    {
        await using var site = await ConsoleSite.StartAsync(students: 30);
        var school = site.First.Schools[0];
        var students = await site.Env.StudentsAsync(school.Id);
        site.Env.Simulator.Store.UpdateUser(students[1].CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["last"] = "Hopper" } });
        site.Env.Simulator.Store.RemoveUser(students[2].CleverStudentId);
        site.Env.Simulator.Store.AddStudent(school.Id);
        var before = await DryRunTests.FingerprintAsync(site.Env, schoolsOnly: true);
        var sessionBefore = await SessionRowsAsync(site);

        var (answer, dry) = await site.Serve.SendAsync(HttpMethod.Post, "api/syncs", new { school = school.Id, full = true, dryRun = true });
        var (districtAnswer, districtDry) = await site.Serve.SendAsync(HttpMethod.Post, "api/syncs", new { district = site.First.Id, full = true, dryRun = true });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, districtAnswer.StatusCode);
        Assert.Equal(before, await DryRunTests.FingerprintAsync(site.Env, schoolsOnly: true));
        Assert.Equal(sessionBefore, await SessionRowsAsync(site));
        Assert.Equal(site.First.Schools.Select(s => s.Id).Order(StringComparer.Ordinal),
            districtDry.GetProperty("schools").EnumerateArray().Select(s => s.GetProperty("cleverSchoolId").GetString()!).Order(StringComparer.Ordinal));
        var predicted = Assert.Single(dry.GetProperty("schools").EnumerateArray()).GetProperty("entities").EnumerateArray().ToList();
        var student = predicted.Single(e => e.GetProperty("entityType").GetString() == "Student");
        Assert.Equal((1, 1, 1), (student.GetProperty("wouldCreate").GetInt32(), student.GetProperty("wouldUpdate").GetInt32(), student.GetProperty("wouldDelete").GetInt32()));
        Assert.False(student.GetProperty("deletionsHeld").GetBoolean());
        Assert.Contains(student.GetProperty("examples").EnumerateArray(), e => e.GetProperty("cleverId").GetString() == students[1].CleverStudentId
            && e.GetProperty("new").GetProperty("LastName").GetString() == "Hopper");
        Assert.Equal(HttpStatusCode.BadRequest, (await site.Serve.SendAsync(HttpMethod.Post, "api/syncs", new { dryRun = true })).Response.StatusCode);

        var real = (await FullSyncAsync(site, school.Id)).GetProperty("schools")[0].GetProperty("entities").EnumerateArray()
            .ToDictionary(e => e.GetProperty("entityType").GetString()!, e => (e.GetProperty("recordsCreated").GetInt32(), e.GetProperty("recordsUpdated").GetInt32(), e.GetProperty("recordsDeleted").GetInt32()));
        Assert.Equal(real, predicted.ToDictionary(e => e.GetProperty("entityType").GetString()!,
            e => (e.GetProperty("wouldCreate").GetInt32(), e.GetProperty("wouldUpdate").GetInt32(), e.GetProperty("wouldDelete").GetInt32())));

        // A school being synced is not read: named, the answer is a real run's 409; in its district, it is listed as not read.
        var running = await ClaimAsync(site, school.Id);
        var (conflict, problem) = await site.Serve.SendAsync(HttpMethod.Post, "api/syncs", new { school = school.Id, dryRun = true });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(running, problem.GetProperty("runId").GetGuid());
        var (_, busy) = await site.Serve.SendAsync(HttpMethod.Post, "api/syncs", new { district = site.First.Id, dryRun = true });
        var notRead = busy.GetProperty("schools").EnumerateArray().Single(s => s.GetProperty("cleverSchoolId").GetString() == school.Id);
        Assert.Contains($"run {running}", notRead.GetProperty("error").GetString());
        Assert.Empty(notRead.GetProperty("entities").EnumerateArray());
    }

    /// <summary>Claims <paramref name="school"/> for a run of the serve's own instance, as a sync under way does.</summary>
    private static async Task<Guid> ClaimAsync(ConsoleSite site, string school)
    {
        var runId = Guid.NewGuid();
        await using var db = await site.Env.SessionDbAsync();
        var schoolId = (await site.Env.SchoolAsync(school)).SchoolId;
        db.SyncRuns.Add(new SyncRun { RunId = runId, Trigger = SyncTrigger.Api, RequestedAt = DateTime.UtcNow });
        db.SyncRunSchools.Add(new SyncRunSchool
        {
            RunId = runId, SchoolId = schoolId, Status = SyncRunStatus.Running, QueuedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow,
            InstanceId = site.Serve.App.Services.GetRequiredService<InstanceIdentity>().Id,
        });
        await db.SaveChangesAsync();
        return runId;
    }

    /// <summary>The SessionDb rows a run writes: schools, runs, their schools, history.</summary>
    private static async Task<string> SessionRowsAsync(ConsoleSite site)
    {
        await using var db = await site.Env.SessionDbAsync();
        return JsonSerializer.Serialize(new
        {
            schools = await db.Schools.AsNoTracking().OrderBy(s => s.SchoolId).Select(s => new { s.SchoolId, s.UpdatedAt, s.RequiresFullSync, s.IsActive }).ToListAsync(),
            runs = await db.SyncRuns.AsNoTracking().OrderBy(r => r.RunId).Select(r => r.RunId).ToListAsync(),
            claims = await db.SyncRunSchools.AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.Id, r.Status, r.FinishedAt }).ToListAsync(),
            history = await db.SyncHistory.AsNoTracking().OrderBy(h => h.SyncId).Select(h => new { h.SyncId, h.Status, h.SyncEndTime }).ToListAsync(),
        });
    }

    private static async Task<JsonElement> FullSyncAsync(ConsoleSite site, string school)
    {
        var (accepted, body) = await site.Serve.SendAsync(HttpMethod.Post, "api/syncs", new { school, full = true });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return await site.Serve.WaitForRunAsync(body.GetProperty("location").GetString()!, ServeHarness.Completed);
    }
}
