using CleverSyncSOS.Host.Service.Scheduling;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Host.Service.Api;

/// <summary>A run as the API shows it: each school's status and, per entity, its SyncHistory row; live progress while running here.</summary>
public sealed record RunView(
    Guid RunId, string Trigger, string Status, string? School, string? District, bool Full, bool AllowMassDelete,
    string? RequestedBy, DateTime RequestedAt, DateTime? FinishedAt, IReadOnlyList<RunSchoolView> Schools);

public sealed record RunSchoolView(
    int SchoolId, string CleverSchoolId, string Name, string CleverDistrictId, string Status, string? Reason, string? InstanceId,
    DateTime QueuedAt, DateTime? StartedAt, DateTime? FinishedAt, ProgressView? Progress, IReadOnlyList<EntityView> Entities);

public sealed record ProgressView(string Stage, string? EntityType, int RecordsRead);

/// <summary>
/// One SyncHistory row. <see cref="FailedRecords"/> (the first skipped records, id and reason) is given in a run's detail
/// and null in a school's history list.
/// </summary>
public sealed record EntityView(
    long SyncId, string EntityType, string SyncType, string Status, DateTime StartedAt, DateTime? EndedAt,
    int RecordsProcessed, int RecordsFailed, int RecordsCreated, int RecordsUpdated, int RecordsDeleted, string? Error, bool DeletionsHeld,
    IReadOnlyList<FailedRecordView>? FailedRecords = null)
{
    public static EntityView From(SyncHistory h) => new(h.SyncId, h.EntityType, h.SyncType.ToString(), h.Status, h.SyncStartTime, h.SyncEndTime,
        h.RecordsProcessed, h.RecordsFailed, h.RecordsCreated, h.RecordsUpdated, h.RecordsDeleted, h.ErrorMessage, h.DeletionsHeld);
}

public sealed record FailedRecordView(string CleverId, string Reason);

public sealed record SchoolHistoryView(int SchoolId, string CleverSchoolId, string Name, string CleverDistrictId, IReadOnlyList<SchoolRunView> Runs,
    IReadOnlyList<EntityView> History);

public sealed record SchoolRunView(Guid RunId, string Trigger, string Status, string? Reason, DateTime QueuedAt, DateTime? FinishedAt);

/// <summary>Reads runs and history for the API from SessionDb (any node answers for any run).</summary>
public sealed class RunViews(SessionDatabase sessionDatabase, LiveProgress live)
{
    public async Task<RunView?> GetRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var run = await db.SyncRuns.AsNoTracking().SingleOrDefaultAsync(r => r.RunId == runId, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var rows = await (from r in db.SyncRunSchools.AsNoTracking()
                          join s in db.Schools.AsNoTracking() on r.SchoolId equals s.SchoolId
                          where r.RunId == runId
                          orderby s.Name, r.Id
                          select new { Row = r, School = s }).ToListAsync(cancellationToken);
        var history = (await db.SyncHistory.AsNoTracking().Where(h => h.RunId == runId).OrderBy(h => h.SyncId).ToListAsync(cancellationToken))
            .ToLookup(h => h.SchoolId);
        var syncIds = history.SelectMany(h => h).Select(h => h.SyncId).ToList();
        var failed = (await db.SyncFailedRecords.AsNoTracking().Where(f => syncIds.Contains(f.SyncId)).OrderBy(f => f.Id).ToListAsync(cancellationToken))
            .ToLookup(f => f.SyncId, f => new FailedRecordView(f.CleverId, f.Reason));

        var schools = rows.Select(x => new RunSchoolView(
            x.School.SchoolId, x.School.CleverSchoolId, x.School.Name, x.School.DistrictId, x.Row.Status, x.Row.Reason, x.Row.InstanceId,
            x.Row.QueuedAt, x.Row.StartedAt, x.Row.FinishedAt,
            live.Get(runId, x.School.SchoolId) is { } p && x.Row.Status == SyncRunStatus.Running ? new ProgressView(p.Stage, p.EntityType, p.RecordsRead) : null,
            history[x.School.SchoolId].Select(h => EntityView.From(h) with { FailedRecords = failed[h.SyncId].ToList() }).ToList())).ToList();
        var open = schools.Any(s => s.Status is SyncRunStatus.Queued or SyncRunStatus.Running or SyncRunStatus.Held);
        return new RunView(run.RunId, run.Trigger, open ? "Running" : "Completed", run.School, run.District, run.ForceFull, run.AllowMassDelete,
            run.RequestedBy, run.RequestedAt, open ? null : schools.Max(s => s.FinishedAt), schools);
    }

    /// <summary>A run as a caller limited to <paramref name="scope"/> sees it: only its schools; null when it has none of them (or no such run).</summary>
    public async Task<RunView?> GetRunAsync(Guid runId, DistrictScope scope, CancellationToken cancellationToken)
    {
        if (await GetRunAsync(runId, cancellationToken) is not { } run)
        {
            return null;
        }

        var schools = run.Schools.Where(s => scope.Allows(s.CleverDistrictId)).ToList();
        return schools.Count == 0 && (run.Schools.Count > 0 || !scope.IsEveryDistrict) ? null : run with { Schools = schools };
    }

    /// <summary>The districts of the schools a school argument names (a SchoolId or a Clever school id; usually one).</summary>
    public async Task<IReadOnlyList<string>> DistrictsOfSchoolAsync(string school, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var query = int.TryParse(school, out var id)
            ? db.Schools.AsNoTracking().Where(s => s.SchoolId == id || s.CleverSchoolId == school)
            : db.Schools.AsNoTracking().Where(s => s.CleverSchoolId == school);
        return await query.Select(s => s.DistrictId).Distinct().ToListAsync(cancellationToken);
    }

    /// <summary>A school's latest runs and SyncHistory rows, newest first; null when no such school is onboarded.</summary>
    public async Task<SchoolHistoryView?> GetSchoolHistoryAsync(string school, int limit, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var found = int.TryParse(school, out var id)
            ? await db.Schools.AsNoTracking().FirstOrDefaultAsync(s => s.SchoolId == id || s.CleverSchoolId == school, cancellationToken)
            : await db.Schools.AsNoTracking().FirstOrDefaultAsync(s => s.CleverSchoolId == school, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var runs = await (from r in db.SyncRunSchools.AsNoTracking()
                          join run in db.SyncRuns.AsNoTracking() on r.RunId equals run.RunId
                          where r.SchoolId == found.SchoolId
                          orderby r.QueuedAt descending, r.Id descending
                          select new SchoolRunView(r.RunId, run.Trigger, r.Status, r.Reason, r.QueuedAt, r.FinishedAt)).Take(limit).ToListAsync(cancellationToken);
        var history = await db.SyncHistory.AsNoTracking().Where(h => h.SchoolId == found.SchoolId)
            .OrderByDescending(h => h.SyncStartTime).ThenByDescending(h => h.SyncId).Take(limit).ToListAsync(cancellationToken);
        return new SchoolHistoryView(found.SchoolId, found.CleverSchoolId, found.Name, found.DistrictId, runs, history.Select(EntityView.From).ToList());
    }
}
