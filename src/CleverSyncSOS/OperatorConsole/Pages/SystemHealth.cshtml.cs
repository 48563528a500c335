using CleverSyncSOS.Authentication;
using CleverSyncSOS.Health;
using CleverSyncSOS.Host.OperatorConsole.Reading;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Host.Service.Scheduling;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace CleverSyncSOS.Host.OperatorConsole.Pages;

/// <summary>
/// The service's own health checks (the ones behind <c>/health</c>), Clever sign-in per district and the schedule's next runs.
/// A district-limited user sees the shared parts (databases, secret store, scheduler) and only its districts.
/// </summary>
public sealed class SystemHealthModel(HealthCheckService health, AuthenticationHealthTracker authentication, SchoolBoard board, ISchedulerFactory schedulers) : PageModel
{
    /// <summary>Checks that name schools or districts; shown per district below instead, for the districts the user may see.</summary>
    private static readonly HashSet<string> PerDistrict = [CleverAuthHealthCheck.Name, SchoolFreshnessHealthCheck.Name];

    public IReadOnlyList<(string Name, HealthReportEntry Entry)> Checks { get; private set; } = [];
    public IReadOnlyList<(string Id, string Name, AuthenticationHealthStatus? Status)> Districts { get; private set; } = [];
    public IReadOnlyList<SchoolCard> Overdue { get; private set; } = [];
    public IReadOnlyList<DateTimeOffset> NextRuns { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(c => !PerDistrict.Contains(c.Name), cancellationToken);
        Checks = report.Entries.OrderBy(e => e.Key).Select(e => (e.Key, e.Value)).ToList();
        var scope = DistrictScope.Of(User);
        Districts = (await board.DistrictsAsync(scope, cancellationToken)).Select(d => (d.Id, d.Name, authentication.Get(d.Id))).ToList();
        Overdue = (await board.SchoolsAsync(scope, null, cancellationToken)).Where(s => s.State == SchoolState.Overdue).ToList();
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        NextRuns = await scheduler.GetTrigger(ScheduledSyncJob.TriggerKey, cancellationToken) is { } trigger ? NextFires(trigger, 3) : [];
    }

    private static List<DateTimeOffset> NextFires(ITrigger trigger, int count)
    {
        var fires = new List<DateTimeOffset>();
        var next = trigger.NextFireTimeUtc;
        while (next is { } at && fires.Count < count)
        {
            fires.Add(at);
            next = trigger.GetFireTimeAfter(at);
        }

        return fires;
    }
}
