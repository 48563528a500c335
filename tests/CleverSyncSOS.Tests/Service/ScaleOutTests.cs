using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Service;

public sealed class ScaleOutTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {what}");

    [Fact]
    public async Task Two_clustered_nodes_share_20_schools_and_when_one_is_killed_mid_run_the_other_finishes_its_school_never_both_on_one_school()
    {
        if (TestDatabases.PostgresServer is null)
        {
            return; // clustering needs a shared database server; CI always has one (a missing one fails there)
        }

        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 20, students: 150, teachers: 10),
            configure: settings =>
            {
                // The cluster shares SessionDb (and the Quartz tables in it) on PostgreSQL; the school databases are files in
                // the shared data folder, which saves creating and dropping 20 PostgreSQL databases in CI.
                settings[$"{DatabaseOptions.SectionName}:SchoolDbProvider"] = nameof(DatabaseProvider.Sqlite);
                settings.Remove($"{DatabaseOptions.SectionName}:SchoolDbServerConnectionString");
            },
            provider: DatabaseProvider.PostgreSql);
        await env.OnboardAsync();
        Step("onboarded");
        await env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(ApiOptions.DefaultKeySecretName, ServeHarness.ApiKey, CancellationToken.None);
        env.Simulator.Faults.LatencyMilliseconds = 250; // a school takes about two seconds: long enough to be killed in the middle

        var settings = new Dictionary<string, string?>(env.Settings)
        {
            ["CleverSyncSOS:Scheduler:Clustered"] = "true",
            ["CleverSyncSOS:Scheduler:CheckinIntervalSeconds"] = "1",
            ["CleverSyncSOS:Scheduler:CheckinMisfireSeconds"] = "2",
            ["CleverSyncSOS:Scheduler:HeartbeatSeconds"] = "1",
            ["CleverSyncSOS:Scheduler:IdleWaitSeconds"] = "1",
            ["CleverSyncSOS:Scheduler:InstanceTimeoutSeconds"] = "5",
            ["CleverSyncSOS:Sync:MaxParallelSchools"] = "2",
            ["CleverSyncSOS:CleverApi:PageSize"] = "50",
            ["CleverSyncSOS:CleverAuth:HealthCheckIntervalSeconds"] = "60",
        };
        settings.Remove("CleverSyncSOS:DataDir");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var first = ServeProcess.Start(env.DataDir, settings);
        await first.WaitReadyAsync(http); // the first node creates the Quartz tables
        Step("first ready");
        using var second = ServeProcess.Start(env.DataDir, settings);
        await second.WaitReadyAsync(http);
        Step("second ready");

        using var trigger = new HttpRequestMessage(HttpMethod.Post, new Uri(first.BaseAddress, "api/syncs")) { Content = JsonContent.Create(new { full = true }) };
        trigger.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, ServeHarness.ApiKey);
        using var accepted = await http.SendAsync(trigger);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetGuid();

        // Kill the second node while it is syncing a school.
        var victim = await InstanceIdAsync(env, second.ProcessId);
        var killedSchool = await SessionDbPolling.WaitForAsync(env, async db => await db.SyncRunSchools
            .Where(r => r.RunId == runId && r.InstanceId == victim && r.Status == SyncRunStatus.Running)
            .Select(r => (int?)r.SchoolId).FirstOrDefaultAsync(), 60, () => second.Output);
        await SessionDbPolling.WaitForAsync(env, async db => await db.SyncHistory.AnyAsync(h => h.SchoolId == killedSchool && h.InstanceId == victim) ? (bool?)true : null, 30, () => second.Output);
        second.Kill();
        Step("killed");

        var survivor = await InstanceIdAsync(env, first.ProcessId);
        await SessionDbPolling.WaitForAsync(env, async db => await db.SyncRunSchools.CountAsync(r => r.RunId == runId && SyncRunStatus.IsFinalStatuses.Contains(r.Status)) == 20 ? (bool?)true : null,
            120, () => first.Output);

        Step("all done");
        await using var session = await env.SessionDbAsync();
        var rows = await session.SyncRunSchools.AsNoTracking().Where(r => r.RunId == runId).ToListAsync();
        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.Equal(SyncRunStatus.Success, r.Status));
        Assert.Equal(survivor, rows.Single(r => r.SchoolId == killedSchool).InstanceId);

        var history = await session.SyncHistory.AsNoTracking().Where(h => h.RunId == runId).ToListAsync();
        foreach (var school in rows.Select(r => r.SchoolId))
        {
            var ofSchool = history.Where(h => h.SchoolId == school).ToList();
            Assert.Equal(2, ofSchool.Count(h => h.Status == SyncStatus.Success)); // students and teachers, synced to completion
            foreach (var entity in ofSchool.GroupBy(h => h.EntityType))
            {
                // Never two nodes at once: each attempt ended before the next began.
                var attempts = entity.OrderBy(h => h.SyncStartTime).ToList();
                Assert.All(attempts, h => Assert.NotNull(h.SyncEndTime));
                for (var i = 1; i < attempts.Count; i++)
                {
                    Assert.True(attempts[i - 1].SyncEndTime <= attempts[i].SyncStartTime,
                        $"school {school} {entity.Key}: {attempts[i - 1].InstanceId} until {attempts[i - 1].SyncEndTime:O}, {attempts[i].InstanceId} from {attempts[i].SyncStartTime:O}");
                }
            }
        }

        var killed = history.Where(h => h.SchoolId == killedSchool).ToList();
        Assert.Contains(killed, h => h.InstanceId == victim && h.Status == SyncStatus.Failed && h.ErrorMessage == CleverSyncSOS.Sync.SyncHistoryRecorder.InterruptedMessage);
        Assert.Contains(killed, h => h.InstanceId == survivor && h.Status == SyncStatus.Success);
        foreach (var school in env.District.Schools)
        {
            Assert.Equal(150, (await env.StudentsAsync(school.Id)).Count);
        }
    }

    private static async Task<string> InstanceIdAsync(SyncTestEnvironment env, int processId) =>
        (await SessionDbPolling.WaitForAsync(env, async db => await db.ServiceInstances.Where(i => i.ProcessId == processId).Select(i => i.InstanceId).FirstOrDefaultAsync() is { } id
            ? new Box(id) : (Box?)null, 30)).Value;

    private readonly record struct Box(string Value);
}
