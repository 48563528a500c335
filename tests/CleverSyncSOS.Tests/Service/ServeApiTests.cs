using CleverSyncSOS.Sync.Entities;
using System.Net;
using System.Text.Json;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Tests.Service;

public sealed class ServeApiTests
{
    [Fact]
    public async Task Trigger_answers_202_with_a_location_the_run_finishes_into_history_and_a_second_trigger_for_the_running_school_answers_409()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 2));
        await env.OnboardAsync();
        env.Simulator.Faults.LatencyMilliseconds = 150; // the run lasts long enough for the second trigger to find it running
        await using var serve = await ServeHarness.StartAsync(env);
        var school = env.District.Schools[0].Id;

        var (accepted, body) = await serve.SendAsync(HttpMethod.Post, "api/syncs", new { school, full = true });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = body.GetProperty("runId").GetString()!;
        Assert.Equal($"/api/syncs/{runId}", accepted.Headers.Location!.ToString());

        var (conflict, problem) = await serve.SendAsync(HttpMethod.Post, "api/syncs", new { school });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType!.MediaType);
        Assert.Equal(runId, problem.GetProperty("runId").GetString());
        Assert.Equal(409, problem.GetProperty("status").GetInt32());

        var run = await serve.WaitForRunAsync(accepted.Headers.Location!.ToString(), ServeHarness.Completed);
        var only = Assert.Single(run.GetProperty("schools").EnumerateArray());
        Assert.Equal(SyncStatus.Success, only.GetProperty("status").GetString());
        Assert.Equal(school, only.GetProperty("cleverSchoolId").GetString());
        var entities = only.GetProperty("entities").EnumerateArray().ToList();
        Assert.Equal(SyncEntities.All.Select(e => e.EntityType).Order(), entities.Select(e => e.GetProperty("entityType").GetString()).Order());
        Assert.All(entities, e => Assert.Equal("Full", e.GetProperty("syncType").GetString()));
        using var reader = env.Reader();
        var served = await reader.GetSchoolUsersAsync(school, "student");
        Assert.Equal(served.Count, entities.Single(e => e.GetProperty("entityType").GetString() == "Student").GetProperty("recordsCreated").GetInt32());
        Assert.Equal(served.Select(s => s.Id).Order(), (await env.StudentsAsync(school)).Select(s => s.CleverStudentId).Order());

        var (historyResponse, history) = await serve.SendAsync(HttpMethod.Get, $"api/schools/{school}/history");
        Assert.Equal(HttpStatusCode.OK, historyResponse.StatusCode);
        Assert.Contains(history.GetProperty("runs").EnumerateArray(), r => r.GetProperty("runId").GetString() == runId && r.GetProperty("status").GetString() == SyncStatus.Success);
        Assert.Equal(SyncEntities.All.Count, history.GetProperty("history").EnumerateArray().Count(h => h.GetProperty("status").GetString() == SyncStatus.Success));

        // The 409 did nothing and recorded nothing: no run, no Skipped row, no SyncHistory row of its own.
        Assert.Equal([runId], history.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
        Assert.DoesNotContain(history.GetProperty("history").EnumerateArray(), h => h.GetProperty("status").GetString() == SyncRunStatus.Skipped);
        await using var db = await env.SessionDbAsync();
        Assert.Equal(1, await db.SyncRuns.CountAsync());
        Assert.Equal(0, await db.SyncRunSchools.CountAsync(s => s.Status == SyncRunStatus.Skipped));
    }

    [Fact]
    public async Task Api_without_or_with_a_wrong_key_answers_401_with_no_detail_and_errors_are_problem_details()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        await using var serve = await ServeHarness.StartAsync(env);

        using var none = await serve.Http.PostAsync("api/syncs", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("", await none.Content.ReadAsStringAsync());

        using var wrong = new HttpRequestMessage(HttpMethod.Get, $"api/syncs/{Guid.NewGuid()}");
        wrong.Headers.Add("X-Api-Key", ServeHarness.ApiKey + "x");
        using var wrongResponse = await serve.Http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal("", await wrongResponse.Content.ReadAsStringAsync());

        var (missing, problem) = await serve.SendAsync(HttpMethod.Get, $"api/syncs/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());

        var (unknownSchool, _) = await serve.SendAsync(HttpMethod.Post, "api/syncs", new { school = "no-such-school" });
        Assert.Equal(HttpStatusCode.NotFound, unknownSchool.StatusCode);
        var (both, _) = await serve.SendAsync(HttpMethod.Post, "api/syncs", new { school = "a", district = "b" });
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);

        using var health = await serve.Http.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_answer_json_per_check_and_clever_auth_lists_the_district_from_the_first_answer()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 2));
        await env.OnboardAsync();
        await using var serve = await ServeHarness.StartAsync(env, c => c["CleverSyncSOS:CleverAuth:HealthCheckIntervalSeconds"] = "3600");

        var first = await GetJsonAsync(serve, "health/clever-auth");
        var district = Assert.Single(first.Body.GetProperty("districts").EnumerateArray());
        Assert.Equal(env.District.Id, district.GetProperty("cleverDistrictId").GetString());
        Assert.Contains(district.GetProperty("status").GetString(), new[] { "Unknown", "Healthy" });
        Assert.Equal(district.GetProperty("status").GetString() == "Unknown" ? "Degraded" : "Healthy", first.Body.GetProperty("status").GetString());

        var live = await GetJsonAsync(serve, "health/live");
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (live.Status, live.Body.GetProperty("status").GetString()));

        var ready = await GetJsonAsync(serve, "health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        var checks = ready.Body.GetProperty("checks");
        Assert.Equal(["scheduler", "secret-store", "sessiondb"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));

        // Never synced: each school is stale, so the whole is Degraded (still 200 for a load balancer).
        var all = await GetJsonAsync(serve, "health");
        Assert.Equal(HttpStatusCode.OK, all.Status);
        var freshness = all.Body.GetProperty("checks").GetProperty("school-freshness");
        Assert.Equal("Degraded", freshness.GetProperty("status").GetString());
        var schools = freshness.GetProperty("data").GetProperty("schools").EnumerateArray().ToList();
        Assert.Equal(2, schools.Count);
        Assert.All(schools, s => Assert.Equal("Stale", s.GetProperty("status").GetString()));
        Assert.Contains("clever-auth", all.Body.GetProperty("checks").EnumerateObject().Select(c => c.Name));

        await env.SyncAsync();
        var after = await GetJsonAsync(serve, "health");
        Assert.All(after.Body.GetProperty("checks").GetProperty("school-freshness").GetProperty("data").GetProperty("schools").EnumerateArray(),
            s => Assert.Equal("Fresh", s.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Pause_windows_set_over_the_api_skip_scheduled_syncs_and_the_first_sync_after_a_window_is_full()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        await env.SyncAsync();
        await env.SyncAsync(); // incremental from now on
        await using var serve = await ServeHarness.StartAsync(env);

        var now = DateTimeOffset.UtcNow;
        var (created, window) = await serve.SendAsync(HttpMethod.Post, $"api/districts/{env.District.Id}/pauses",
            new { startsAt = now.AddMinutes(-1), endsAt = now.AddHours(1), reason = "summer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var (inverted, _) = await serve.SendAsync(HttpMethod.Post, $"api/districts/{env.District.Id}/pauses",
            new { startsAt = now, endsAt = now.AddHours(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, inverted.StatusCode);

        var paused = await ScheduledRunAsync(serve);
        Assert.Equal([SyncRunStatus.Paused], ServeHarness.SchoolStatuses(paused));
        Assert.Contains("summer", paused.GetProperty("schools")[0].GetProperty("reason").GetString());

        // The window is over: shorten it to have ended a moment ago.
        var (deleted, _) = await serve.SendAsync(HttpMethod.Delete, $"api/districts/{env.District.Id}/pauses/{window.GetProperty("id").GetInt32()}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await serve.SendAsync(HttpMethod.Post, $"api/districts/{env.District.Id}/pauses", new { startsAt = now.AddMinutes(-1), endsAt = DateTimeOffset.UtcNow });

        var resumed = await ScheduledRunAsync(serve);
        var school = Assert.Single(resumed.GetProperty("schools").EnumerateArray());
        Assert.Equal(SyncStatus.Success, school.GetProperty("status").GetString());
        Assert.All(school.GetProperty("entities").EnumerateArray(), e => Assert.Equal("Full", e.GetProperty("syncType").GetString()));
    }

    internal static async Task<JsonElement> ScheduledRunAsync(ServeHarness serve)
    {
        var scheduler = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Quartz.ISchedulerFactory>(serve.App.Services).GetScheduler();
        var sessions = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<CleverSyncSOS.Persistence.SessionDatabase>(serve.App.Services);
        List<Guid> earlier;
        await using (var db = await sessions.CreateDbContextAsync(CancellationToken.None))
        {
            earlier = await db.SyncRuns.Select(r => r.RunId).ToListAsync();
        }

        await scheduler.TriggerJob(CleverSyncSOS.Host.Service.Scheduling.ScheduledSyncJob.Key);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await sessions.CreateDbContextAsync(CancellationToken.None);
            var run = await db.SyncRuns.AsNoTracking().Where(r => r.Trigger == SyncTrigger.Schedule && !earlier.Contains(r.RunId)).FirstOrDefaultAsync();
            if (run is not null)
            {
                return await serve.WaitForRunAsync($"api/syncs/{run.RunId}", r => ServeHarness.Completed(r) && r.GetProperty("schools").GetArrayLength() > 0);
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("The scheduled sync never started a run.");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(ServeHarness serve, string path)
    {
        using var response = await serve.Http.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
