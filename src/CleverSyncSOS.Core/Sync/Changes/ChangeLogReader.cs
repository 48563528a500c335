using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Sync.Changes;

/// <summary>What to list from a school's change log: one run (any of its SyncHistory ids), one record, or the latest.</summary>
public sealed record ChangeQuery(string School, int? Run = null, string? CleverId = null, int Limit = 200);

/// <summary>
/// Reads a school's change log for operators (the CLI; the JSON API and the console read the same). A run is
/// named by any of its SyncHistory ids: the rows of one school that started together.
/// </summary>
public sealed class ChangeLogReader(SessionDatabase sessionDatabase, SchoolDatabases schoolDatabases)
{
    public async Task<(School School, IReadOnlyList<ChangeLogEntry> Entries)> ReadAsync(ChangeQuery query, CancellationToken cancellationToken)
    {
        var school = await FindSchoolAsync(query.School, cancellationToken);
        var runIds = query.Run is { } run ? await RunIdsAsync(run, cancellationToken) : null;
        if (runIds is not null && runIds.SchoolId != school.SchoolId)
        {
            throw new ArgumentException($"Run {query.Run} belongs to another school (SchoolId {runIds.SchoolId}), not {school.CleverSchoolId}.");
        }

        await using var db = await schoolDatabases.OpenAsync(school, cancellationToken);
        var entries = db.ChangeLog.AsNoTracking();
        if (runIds is not null)
        {
            entries = entries.Where(e => runIds.SyncIds.Contains(e.SyncId));
        }

        if (query.CleverId is { } id)
        {
            // An enrollment's key is "{section}:{user}": a student's id finds their enrollments too.
            entries = entries.Where(e => e.CleverId == id || e.CleverId.StartsWith(id + ":") || e.CleverId.EndsWith(":" + id));
        }

        var list = await entries.OrderByDescending(e => e.ChangeId).Take(Math.Max(1, query.Limit)).ToListAsync(cancellationToken);
        list.Reverse();
        return (school, list);
    }

    /// <summary>The SyncHistory rows of the run that row <paramref name="syncId"/> belongs to.</summary>
    public async Task<RunRows> RunIdsAsync(int syncId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var row = await db.SyncHistory.AsNoTracking().FirstOrDefaultAsync(h => h.SyncId == syncId, cancellationToken)
            ?? throw new ArgumentException($"No sync run {syncId}: run ids are SyncHistory ids (see 'cleversync changes --school X').");
        var rows = await db.SyncHistory.AsNoTracking()
            .Where(h => h.SchoolId == row.SchoolId && h.SyncStartTime == row.SyncStartTime).ToListAsync(cancellationToken);
        return new RunRows(row.SchoolId, rows.Select(r => r.SyncId).ToHashSet(), rows);
    }

    public async Task<School> FindSchoolAsync(string school, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var query = db.Schools.AsNoTracking();
        return await (int.TryParse(school, out var id)
                ? query.Where(s => s.SchoolId == id || s.CleverSchoolId == school)
                : query.Where(s => s.CleverSchoolId == school)).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ArgumentException($"No school '{school}' is onboarded; 'cleversync status' lists the schools.");
    }

    public async Task<School> SchoolOfAsync(int schoolId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        return await db.Schools.AsNoTracking().SingleAsync(s => s.SchoolId == schoolId, cancellationToken);
    }
}

/// <summary>One run of one school: its SyncHistory rows (one per entity type).</summary>
public sealed record RunRows(int SchoolId, IReadOnlySet<int> SyncIds, IReadOnlyList<SyncHistory> Rows);
