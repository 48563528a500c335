using CleverSyncSOS.Authentication;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.OperatorConsole.Reading;

/// <summary>A school's state at a glance, in the order an operator should look at them.</summary>
public enum SchoolState
{
    Failed,
    Held,
    Partial,
    Overdue,
    Running,
    Paused,
    InStep,
}

/// <summary>One school on the overview: its state and why, its last sync and what its database holds.</summary>
public sealed record SchoolCard(
    int SchoolId, string CleverSchoolId, string Name, string CleverDistrictId, string DistrictName, SchoolState State, string StateReason,
    DateTime? LastSyncAt, string? LastSyncType, DateTime? LastSuccessAt, double? AgeHours, int? Students, int? Teachers, bool RequiresFullSync,
    Guid? ActiveRunId, MassDeletionHold? HeldDeletion);

/// <summary>A full sync's deletion the mass-deletion guard held back, waiting for an operator (the guard's own words and numbers).</summary>
public sealed record MassDeletionHold(IReadOnlyList<string> Messages, DateTime At);

public sealed record DistrictCard(string CleverDistrictId, string Name, bool IsActive, AuthenticationHealthStatus? Authentication,
    IReadOnlyList<DistrictPauseWindow> PauseWindows, IReadOnlyList<SchoolCard> Schools);

/// <summary>
/// Reads the state of every school a user may see from SessionDb (districts, schools, SyncHistory, runs and pause windows)
/// and each school's database (what it holds). The overview, district and school pages all come here.
/// </summary>
public sealed class SchoolBoard(
    SessionDatabase sessionDatabase, SchoolDatabases schoolDatabases, AuthenticationHealthTracker authentication, PauseWindows pauses,
    IOptions<SchedulerOptions> scheduler, TimeProvider time)
{
    public async Task<IReadOnlyList<SchoolCard>> SchoolsAsync(DistrictScope scope, string? district, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var schoolQuery = from s in db.Schools.AsNoTracking()
                          join d in db.Districts.AsNoTracking() on s.DistrictId equals d.CleverDistrictId
                          select new { School = s, District = d };
        if (!scope.IsEveryDistrict)
        {
            var allowed = scope.Districts.ToList();
            schoolQuery = schoolQuery.Where(x => allowed.Contains(x.District.CleverDistrictId));
        }

        if (district is not null)
        {
            schoolQuery = schoolQuery.Where(x => x.District.CleverDistrictId == district);
        }

        var schools = await schoolQuery.OrderBy(x => x.District.Name).ThenBy(x => x.School.Name).ToListAsync(cancellationToken);
        var ids = schools.Select(x => x.School.SchoolId).ToList();
        var latestIds = await db.SyncHistory.AsNoTracking().Where(h => ids.Contains(h.SchoolId))
            .GroupBy(h => new { h.SchoolId, h.EntityType }).Select(g => g.Max(h => h.SyncId)).ToListAsync(cancellationToken);
        var latest = (await db.SyncHistory.AsNoTracking().Where(h => latestIds.Contains(h.SyncId)).ToListAsync(cancellationToken)).ToLookup(h => h.SchoolId);
        var lastSuccess = await db.SyncHistory.AsNoTracking()
            .Where(h => ids.Contains(h.SchoolId) && (h.Status == SyncStatus.Success || h.Status == SyncStatus.Partial))
            .GroupBy(h => h.SchoolId).Select(g => new { SchoolId = g.Key, At = g.Max(h => h.SyncEndTime) })
            .ToDictionaryAsync(x => x.SchoolId, x => x.At, cancellationToken);
        var active = (await db.SyncRunSchools.AsNoTracking()
                .Where(r => ids.Contains(r.SchoolId) && (r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running || r.Status == SyncRunStatus.Held))
                .ToListAsync(cancellationToken))
            .GroupBy(r => r.SchoolId).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Id).First());
        var paused = await db.DistrictPauseWindows.AsNoTracking().Where(w => w.StartsAt <= now && w.EndsAt > now)
            .ToListAsync(cancellationToken);

        var cards = new List<SchoolCard>(schools.Count);
        foreach (var x in schools)
        {
            var rows = latest[x.School.SchoolId].ToList();
            var last = rows.MaxBy(r => r.SyncStartTime);
            var success = lastSuccess.GetValueOrDefault(x.School.SchoolId);
            var hold = x.School.RequiresFullSync ? HeldDeletion(rows) : null;
            var window = paused.Where(w => w.CleverDistrictId == x.District.CleverDistrictId).MaxBy(w => w.EndsAt);
            var (state, reason) = StateOf(x.School, x.District, rows, success, active.GetValueOrDefault(x.School.SchoolId), window, hold, now);
            var (students, teachers) = await CountAsync(x.School, cancellationToken);
            cards.Add(new SchoolCard(x.School.SchoolId, x.School.CleverSchoolId, x.School.Name, x.District.CleverDistrictId, x.District.Name, state, reason,
                last?.SyncStartTime, last?.SyncType.ToString(), success, success is { } at ? Math.Round((now - at).TotalHours, 1) : null,
                students, teachers, x.School.RequiresFullSync, active.GetValueOrDefault(x.School.SchoolId)?.RunId, hold));
        }

        return cards;
    }

    public async Task<SchoolCard?> SchoolAsync(DistrictScope scope, string cleverSchoolId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var district = await db.Schools.AsNoTracking().Where(s => s.CleverSchoolId == cleverSchoolId).Select(s => s.DistrictId).FirstOrDefaultAsync(cancellationToken);
        if (district is null || !scope.Allows(district))
        {
            return null;
        }

        return (await SchoolsAsync(scope, district, cancellationToken)).FirstOrDefault(s => s.CleverSchoolId == cleverSchoolId);
    }

    public async Task<IReadOnlyList<(string Id, string Name)>> DistrictsAsync(DistrictScope scope, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var districts = await db.Districts.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.CleverDistrictId, d.Name }).ToListAsync(cancellationToken);
        return districts.Where(d => scope.Allows(d.CleverDistrictId)).Select(d => (d.CleverDistrictId, d.Name)).ToList();
    }

    public async Task<DistrictCard?> DistrictAsync(DistrictScope scope, string cleverDistrictId, CancellationToken cancellationToken)
    {
        if (!scope.Allows(cleverDistrictId))
        {
            return null;
        }

        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var district = await db.Districts.AsNoTracking().FirstOrDefaultAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken);
        if (district is null)
        {
            return null;
        }

        var windows = (await pauses.ListAsync(cleverDistrictId, cancellationToken)).Where(w => w.EndsAt > time.GetUtcNow().UtcDateTime).ToList();
        return new DistrictCard(district.CleverDistrictId, district.Name, district.IsActive, authentication.Get(cleverDistrictId), windows,
            await SchoolsAsync(scope, cleverDistrictId, cancellationToken));
    }

    /// <summary>A school's latest runs, newest first: its SyncHistory rows grouped by run (rows without a run stand alone).</summary>
    public async Task<IReadOnlyList<RunSummary>> RunsAsync(int schoolId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var rows = await (from h in db.SyncHistory.AsNoTracking()
                          join r in db.SyncRuns.AsNoTracking() on h.RunId equals r.RunId into runs
                          from r in runs.DefaultIfEmpty()
                          where h.SchoolId == schoolId
                          orderby h.SyncId descending
                          select new { History = h, Trigger = r == null ? null : r.Trigger, RequestedBy = r == null ? null : r.RequestedBy })
            .Take(limit * 3).ToListAsync(cancellationToken);
        return rows.GroupBy(x => x.History.RunId?.ToString() ?? $"sync-{x.History.SyncId}")
            .Select(g =>
            {
                var h = g.Select(x => x.History).ToList();
                var start = h.Min(x => x.SyncStartTime);
                var end = h.All(x => x.SyncEndTime is not null) ? h.Max(x => x.SyncEndTime) : null;
                var status = h.Any(x => x.Status == SyncStatus.Failed) ? SyncStatus.Failed
                    : h.Any(x => x.Status == SyncStatus.InProgress) ? SyncRunStatus.Running
                    : h.Any(x => x.Status is SyncStatus.Partial or SyncStatus.Skipped) ? SyncStatus.Partial : SyncStatus.Success;
                return new RunSummary(h[0].RunId, g.First().Trigger, g.First().RequestedBy, start, end - start, status,
                    h.Any(x => x.SyncType == SyncType.Full) ? nameof(SyncType.Full) : h[0].SyncType.ToString(),
                    h.Sum(x => x.RecordsCreated), h.Sum(x => x.RecordsUpdated), h.Sum(x => x.RecordsDeleted), h.Sum(x => x.RecordsFailed), h.Sum(x => x.RecordsProcessed));
            })
            .OrderByDescending(r => r.StartedAt).Take(limit).ToList();
    }

    private (SchoolState, string) StateOf(School school, District district, IReadOnlyList<SyncHistory> latest, DateTime? lastSuccess,
        SyncRunSchool? active, DistrictPauseWindow? window, MassDeletionHold? hold, DateTime now)
    {
        var maxAge = TimeSpan.FromHours(scheduler.Value.MaxSyncAgeHours);
        if (active is { Status: SyncRunStatus.Queued or SyncRunStatus.Running })
        {
            return (SchoolState.Running, active.Status == SyncRunStatus.Queued ? "Waiting to start." : "Syncing now.");
        }

        if (!district.IsActive || !school.IsActive)
        {
            return (SchoolState.Paused, !district.IsActive ? "The district is switched off." : "The school is switched off.");
        }

        if (window is not null)
        {
            return (SchoolState.Paused, $"Pause window until {window.EndsAt:u}{(window.Reason is null ? "" : $": {window.Reason}")}.");
        }

        if (hold is not null)
        {
            return (SchoolState.Held, "A large deletion is waiting for an operator's approval.");
        }

        if (active is { Status: SyncRunStatus.Held })
        {
            return (SchoolState.Held, active.Reason ?? "Held until the district's Clever sign-in works again.");
        }

        if (latest.FirstOrDefault(r => r.Status == SyncStatus.Failed) is { } failed)
        {
            return (SchoolState.Failed, failed.ErrorMessage ?? "The last sync failed.");
        }

        if (latest.FirstOrDefault(r => r.Status is SyncStatus.Partial or SyncStatus.Skipped) is { } partial)
        {
            return (SchoolState.Partial, partial.ErrorMessage ?? $"{partial.RecordsFailed} record(s) could not be written.");
        }

        if (lastSuccess is null)
        {
            return (SchoolState.Overdue, "Never synced.");
        }

        return now - lastSuccess > maxAge
            ? (SchoolState.Overdue, $"Last synced more than {scheduler.Value.MaxSyncAgeHours} h ago.")
            : (SchoolState.InStep, "In step with Clever.");
    }

    private static MassDeletionHold? HeldDeletion(IReadOnlyList<SyncHistory> latest)
    {
        var held = latest.Where(r => r.DeletionsHeld).ToList();
        return held.Count == 0 ? null : new MassDeletionHold(held.Select(r => r.ErrorMessage ?? "The mass-deletion guard held deletions back.").ToList(), held.Max(r => r.SyncStartTime));
    }

    private async Task<(int?, int?)> CountAsync(School school, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await schoolDatabases.OpenAsync(school, cancellationToken);
            return (await db.Students.CountAsync(cancellationToken), await db.Teachers.CountAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not yet provisioned or unreachable: the page shows "–" and the Health page says why.
            return (null, null);
        }
    }
}
