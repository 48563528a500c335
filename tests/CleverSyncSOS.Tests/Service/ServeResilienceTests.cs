using System.Net;
using System.Text.Json;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Host.Commands;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Service.Scheduling;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Service;

public sealed class ServeResilienceTests
{
    [Fact]
    public async Task Rejected_credentials_turn_health_unhealthy_within_seconds_hold_scheduled_syncs_and_they_run_after_the_credentials_are_fixed()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 2));
        await env.OnboardAsync(clientSecret: "not-the-secret");
        await using var serve = await ServeHarness.StartAsync(env);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement health;
        do
        {
            using var response = await serve.Http.GetAsync("health/clever-auth");
            health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            Assert.NotEqual("Healthy", health.GetProperty("status").GetString());
            if (health.GetProperty("status").GetString() == "Unhealthy")
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal("Unhealthy", health.GetProperty("status").GetString());
        Assert.True(health.GetProperty("districts")[0].GetProperty("errorCount").GetInt32() >= 1);

        var scheduler = await serve.App.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(ScheduledSyncJob.Key);
        var runId = await SessionDbPolling.WaitForAsync(env, async db => await db.SyncRunSchools.Where(r => r.Status == SyncRunStatus.Held).Select(r => (Guid?)r.RunId).FirstOrDefaultAsync());
        var location = $"api/syncs/{runId}";
        var held = await serve.WaitForRunAsync(location, r => ServeHarness.SchoolStatuses(r).All(s => s == SyncRunStatus.Held) && r.GetProperty("schools").GetArrayLength() == 2);
        Assert.All(held.GetProperty("schools").EnumerateArray(), s => Assert.Contains("Unhealthy", s.GetProperty("reason").GetString()));
        Assert.All(held.GetProperty("schools").EnumerateArray(), s => Assert.Empty(s.GetProperty("entities").EnumerateArray()));

        await env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(
            SecretNames.DistrictClientSecret(SecretNames.DefaultDistrictPrefix(env.District.Id)), env.District.ClientSecret, CancellationToken.None);
        var resumed = await serve.WaitForRunAsync(location, ServeHarness.Completed);
        Assert.All(ServeHarness.SchoolStatuses(resumed), s => Assert.Equal(SyncStatus.Success, s));
        Assert.Equal(120, (await env.StudentsAsync(env.District.Schools[1].Id)).Count);
    }

    [Fact]
    public async Task Stopping_the_service_mid_sync_cancels_after_the_grace_period_closes_history_as_cancelled_at_shutdown_and_changes_nothing()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 2, students: 400));
        await env.OnboardAsync();
        env.Simulator.Faults.LatencyMilliseconds = 200;
        var serve = await ServeHarness.StartAsync(env, c => c["CleverSyncSOS:Scheduler:ShutdownGraceSeconds"] = "0");
        var (accepted, _) = await serve.SendAsync(HttpMethod.Post, "api/syncs", new { full = true });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await SessionDbPolling.WaitForAsync(env, async db => await db.SyncHistory.AnyAsync(h => h.Status == SyncStatus.InProgress) ? (bool?)true : null);

        await serve.DisposeAsync(); // what SIGTERM does: the host stops

        await using var db = await env.SessionDbAsync();
        var history = await db.SyncHistory.AsNoTracking().ToListAsync();
        Assert.NotEmpty(history);
        Assert.DoesNotContain(history, h => h.Status == SyncStatus.InProgress);
        var cancelled = history.Where(h => h.Status == SyncStatus.Failed).ToList();
        Assert.NotEmpty(cancelled);
        Assert.All(cancelled, h => Assert.Equal(SchoolSyncQuartzJob.CancelledAtShutdown, h.ErrorMessage));
        Assert.DoesNotContain(await db.SyncRunSchools.AsNoTracking().ToListAsync(), r => r.Status is SyncRunStatus.Queued or SyncRunStatus.Running);
        foreach (var school in env.District.Schools)
        {
            // A full sync is one transaction: cancelled ones left the school's database as it was (empty).
            var students = await env.StudentsAsync(school.Id);
            Assert.True(students.Count == 0 || students.Count == 400, $"{school.Id} has {students.Count} students");
        }
    }

    [Fact]
    public async Task Cli_sync_refuses_a_school_the_service_is_syncing_and_leaves_its_rows_open()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1, students: 400));
        await env.OnboardAsync();
        env.Simulator.Faults.LatencyMilliseconds = 200;
        await using var serve = await ServeHarness.StartAsync(env);
        var school = env.District.Schools[0].Id;
        var (accepted, _) = await serve.SendAsync(HttpMethod.Post, "api/syncs", new { school, full = true });
        await SessionDbPolling.WaitForAsync(env, async db => await db.SyncHistory.AnyAsync(h => h.Status == SyncStatus.InProgress) ? (bool?)true : null);

        // A second process on the same data folder: its own composition root, its own instance id.
        var output = new StringWriter();
        var exit = await CommandHost.RunAsync(new CommonSettings(env.DataDir, Verbose: false), async (services, ct) =>
        {
            var results = await services.GetRequiredService<SyncOrchestrator>().RunAsync(new SyncRequest(school), null, ct);
            output.Write(Assert.Single(results).Error);
            return results[0].Status == SyncStatus.Success ? 0 : 1;
        }, CancellationToken.None, DemoCommand.PointAt(env.Simulator));

        Assert.Equal(1, exit);
        Assert.Contains("is being synced by", output.ToString());
        await using (var db = await env.SessionDbAsync())
        {
            Assert.Equal(2, await db.SyncHistory.CountAsync(h => h.Status == SyncStatus.InProgress));
        }

        var run = await serve.WaitForRunAsync(accepted.Headers.Location!.ToString(), ServeHarness.Completed);
        Assert.Equal([SyncStatus.Success], ServeHarness.SchoolStatuses(run));
        Assert.Equal(400, (await env.StudentsAsync(school)).Count);
    }
}
