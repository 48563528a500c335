using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Health;

/// <summary>
/// Per school, when it last synced successfully (Success or Partial). A school never synced, or last synced longer ago than
/// <see cref="SchedulerOptions.MaxSyncAgeHours"/>, makes the check Degraded; schools of a district in a pause window are not judged.
/// </summary>
public sealed class SchoolFreshnessHealthCheck(SessionDatabase sessionDatabase, IOptions<SchedulerOptions> options, TimeProvider time) : IHealthCheck
{
    public const string Name = "school-freshness";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var maxAge = TimeSpan.FromHours(options.Value.MaxSyncAgeHours);
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var schools = await (from s in db.Schools.AsNoTracking()
                             join d in db.Districts.AsNoTracking() on s.DistrictId equals d.CleverDistrictId
                             where s.IsActive && d.IsActive
                             orderby s.Name
                             select new
                             {
                                 s.SchoolId, s.CleverSchoolId, s.Name, s.DistrictId,
                                 LastSuccess = db.SyncHistory.Where(h => h.SchoolId == s.SchoolId && (h.Status == SyncStatus.Success || h.Status == SyncStatus.Partial))
                                     .Max(h => h.SyncEndTime),
                                 Paused = db.DistrictPauseWindows.Any(w => w.CleverDistrictId == s.DistrictId && w.StartsAt <= now && w.EndsAt > now),
                             }).ToListAsync(cancellationToken);

        var report = schools.Select(s => new SchoolFreshness(s.SchoolId, s.CleverSchoolId, s.Name, s.DistrictId, s.LastSuccess,
            s.LastSuccess is { } last ? Math.Round((now - last).TotalHours, 2) : null,
            s.Paused ? "Paused" : s.LastSuccess is { } at && now - at <= maxAge ? "Fresh" : "Stale")).ToList();
        var stale = report.Where(s => s.Status == "Stale").ToList();
        var data = new Dictionary<string, object> { ["maxAgeHours"] = options.Value.MaxSyncAgeHours, ["schools"] = report };
        return stale.Count == 0
            ? HealthCheckResult.Healthy($"{report.Count} school(s) synced within {options.Value.MaxSyncAgeHours} h (or paused).", data)
            : HealthCheckResult.Degraded($"{stale.Count} school(s) not synced successfully within {options.Value.MaxSyncAgeHours} h: {string.Join(", ", stale.Take(10).Select(s => s.Name))}{(stale.Count > 10 ? ", …" : "")}.", data: data);
    }
}

public sealed record SchoolFreshness(int SchoolId, string CleverSchoolId, string Name, string CleverDistrictId, DateTime? LastSuccessfulSync, double? AgeHours, string Status);
