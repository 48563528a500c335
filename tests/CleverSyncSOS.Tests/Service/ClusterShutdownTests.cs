using CleverSyncSOS.Sync.Entities;
using System.Net;
using CleverSyncSOS.Host.Service.Scheduling;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Runs;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Service;

public sealed class ClusterShutdownTests
{
    [Fact]
    public async Task A_clustered_node_stopped_mid_sync_records_cancelled_at_shutdown_and_another_node_finishes_the_school()
    {
        if (TestDatabases.PostgresServer is null)
        {
            return; // clustering needs a shared database server; CI always has one (a missing one fails there)
        }

        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1, students: 300),
            configure: settings =>
            {
                settings[$"{DatabaseOptions.SectionName}:SchoolDbProvider"] = nameof(DatabaseProvider.Sqlite);
                settings.Remove($"{DatabaseOptions.SectionName}:SchoolDbServerConnectionString");
            },
            provider: DatabaseProvider.PostgreSql);
        await env.OnboardAsync();
        env.Simulator.Faults.LatencyMilliseconds = 300;
        void Cluster(Dictionary<string, string?> c)
        {
            foreach (var (key, value) in env.Settings)
            {
                c[key] = value;
            }

            c["CleverSyncSOS:Scheduler:Clustered"] = "true";
            c["CleverSyncSOS:Scheduler:CheckinIntervalSeconds"] = "1";
            c["CleverSyncSOS:Scheduler:CheckinMisfireSeconds"] = "2";
            c["CleverSyncSOS:Scheduler:IdleWaitSeconds"] = "1";
            c["CleverSyncSOS:Scheduler:ShutdownGraceSeconds"] = "0";
        }

        var leaving = await ServeHarness.StartAsync(env, Cluster);
        var (accepted, body) = await leaving.SendAsync(HttpMethod.Post, "api/syncs", new { full = true });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = body.GetProperty("runId").GetGuid();
        var leavingId = leaving.App.Services.GetRequiredService<InstanceIdentity>().Id;
        await SessionDbPolling.WaitForAsync(env, async db => await db.SyncHistory.AnyAsync(h => h.RunId == runId && h.InstanceId == leavingId) ? (bool?)true : null);

        await using var staying = await ServeHarness.StartAsync(env, Cluster);
        var stayingId = staying.App.Services.GetRequiredService<InstanceIdentity>().Id;
        await leaving.DisposeAsync(); // SIGTERM: grace period 0, the sync is cancelled and handed back

        await SessionDbPolling.WaitForAsync(env, async db =>
            await db.SyncRunSchools.AnyAsync(r => r.RunId == runId && r.Status == SyncRunStatus.Success) ? (bool?)true : null, 90);
        await using var session = await env.SessionDbAsync();
        var row = await session.SyncRunSchools.AsNoTracking().SingleAsync(r => r.RunId == runId);
        Assert.Equal(stayingId, row.InstanceId);
        var history = await session.SyncHistory.AsNoTracking().Where(h => h.RunId == runId).ToListAsync();
        Assert.Contains(history, h => h.InstanceId == leavingId && h.ErrorMessage == SchoolSyncQuartzJob.CancelledAtShutdown);
        Assert.Equal(SyncEntities.All.Count, history.Count(h => h.InstanceId == stayingId && h.Status == SyncStatus.Success));
        using var reader = env.Reader();
        var served = await reader.GetSchoolUsersAsync(env.District.Schools[0].Id, "student");
        Assert.Equal(served.Select(s => s.Id).Order(), (await env.StudentsAsync(env.District.Schools[0].Id)).Select(s => s.CleverStudentId).Order());
    }
}
