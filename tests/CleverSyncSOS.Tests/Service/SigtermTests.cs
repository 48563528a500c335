using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Host.Service.Scheduling;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Service;

public sealed class SigtermTests
{
    [Fact]
    public async Task Sigterm_to_a_serve_process_mid_sync_closes_history_as_cancelled_at_shutdown_leaves_the_school_database_as_it_was_and_no_claim_open()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1, students: 400));
        await env.OnboardAsync();
        var school = env.District.Schools[0].Id;
        await env.SyncAsync();
        var before = await env.StudentsAsync(school);
        Assert.Equal(400, before.Count);
        env.Simulator.Store.UpdateUser(before[300].CleverStudentId, new JsonObject { ["name"] = new JsonObject { ["first"] = "Changed" } });
        await env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(ApiOptions.DefaultKeySecretName, ServeHarness.ApiKey, CancellationToken.None);
        env.Simulator.Faults.LatencyMilliseconds = 200; // the full sync takes seconds: SIGTERM finds it in the middle

        var settings = new Dictionary<string, string?>(env.Settings)
        {
            ["CleverSyncSOS:Scheduler:ShutdownGraceSeconds"] = "0",
            ["CleverSyncSOS:Scheduler:HeartbeatSeconds"] = "1",
            ["CleverSyncSOS:CleverApi:PageSize"] = "50",
        };
        settings.Remove("CleverSyncSOS:DataDir");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var serve = ServeProcess.Start(env.DataDir, settings);
        await serve.WaitReadyAsync(http);
        using var trigger = new HttpRequestMessage(HttpMethod.Post, new Uri(serve.BaseAddress, "api/syncs")) { Content = JsonContent.Create(new { school, full = true }) };
        trigger.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, ServeHarness.ApiKey);
        using var accepted = await http.SendAsync(trigger);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetGuid();
        await SessionDbPolling.WaitForAsync(env, async db => await db.SyncHistory.AnyAsync(h => h.RunId == runId && h.Status == SyncStatus.InProgress) ? (bool?)true : null,
            30, () => serve.Output);

        await serve.TerminateAsync();

        await using var session = await env.SessionDbAsync();
        var history = await session.SyncHistory.AsNoTracking().Where(h => h.RunId == runId).ToListAsync();
        Assert.NotEmpty(history);
        Assert.All(history, h =>
        {
            Assert.Equal(SyncStatus.Failed, h.Status);
            Assert.Equal(SchoolSyncQuartzJob.CancelledAtShutdown, h.ErrorMessage);
            Assert.NotNull(h.SyncEndTime);
        });
        var claim = await session.SyncRunSchools.AsNoTracking().SingleAsync(r => r.RunId == runId);
        Assert.DoesNotContain(claim.Status, new[] { SyncRunStatus.Queued, SyncRunStatus.Running });
        var instance = await session.ServiceInstances.AsNoTracking().SingleAsync(i => i.ProcessId == serve.ProcessId);
        Assert.NotNull(instance.StoppedAt);

        var after = await env.StudentsAsync(school); // a full sync is one transaction: the cancelled one changed and deleted nothing
        Assert.Equal(before.Select(s => (s.CleverStudentId, s.FirstName, s.UpdatedAt)), after.Select(s => (s.CleverStudentId, s.FirstName, s.UpdatedAt)));
    }
}
