using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync.Planning;

/// <summary>Reads a school's SyncHistory and lets <see cref="SyncDecision"/> decide its next sync.</summary>
public sealed class SyncPlanner(SessionDatabase sessionDatabase, IOptions<SyncOptions> options, TimeProvider time)
{
    public async Task<SyncPlan> PlanAsync(School school, IReadOnlyList<SyncEntity> entities, bool forceFull, CancellationToken cancellationToken)
    {
        var history = await LoadAsync(school.SchoolId, entities, cancellationToken);
        return SyncDecision.Decide(history, forceFull, school.RequiresFullSync, options.Value, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>
    /// The event cursors of a district's active schools that may sync incrementally next (not flagged for a full sync,
    /// every entity synced, cursor within Clever's retention), oldest first, without repeats: where a district run reads
    /// its event stream from. A school due for its weekly reconciliation is included; its cursor is as recent as the others'.
    /// </summary>
    public async Task<IReadOnlyList<string>> DistrictCursorsAsync(string cleverDistrictId, IReadOnlyList<SyncEntity> entities, CancellationToken cancellationToken)
    {
        var horizon = time.GetUtcNow().UtcDateTime.AddDays(1 - options.Value.EventRetentionDays);
        var types = entities.Select(e => e.EntityType).ToList();
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var completed = db.SyncHistory.Where(h => h.Status == SyncStatus.Success || h.Status == SyncStatus.Partial);
        var latest = await (from h in completed
                            join s in db.Schools on h.SchoolId equals s.SchoolId
                            where s.DistrictId == cleverDistrictId && s.IsActive && !s.RequiresFullSync && types.Contains(h.EntityType)
                                  && h.SyncEndTime == completed.Where(x => x.SchoolId == h.SchoolId && x.EntityType == h.EntityType).Max(x => x.SyncEndTime)
                            select new { h.SchoolId, h.EntityType, h.SyncEndTime, h.LastEventId })
            .AsNoTracking().ToListAsync(cancellationToken);

        var cursors = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var school in latest.GroupBy(r => r.SchoolId))
        {
            var rows = school.GroupBy(r => r.EntityType, StringComparer.Ordinal).Select(g => g.First()).ToList();
            if (rows.Count == types.Count && rows.All(r => r.LastEventId is { Length: > 0 } && r.SyncEndTime >= horizon))
            {
                cursors.Add(rows.Select(r => r.LastEventId!).Min(StringComparer.Ordinal)!);
            }
        }

        return cursors.ToList();
    }

    public async Task<IReadOnlyList<EntityHistory>> LoadAsync(int schoolId, IReadOnlyList<SyncEntity> entities, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var result = new List<EntityHistory>(entities.Count);
        foreach (var entity in entities)
        {
            var completed = db.SyncHistory.AsNoTracking()
                .Where(h => h.SchoolId == schoolId && h.EntityType == entity.EntityType
                            && (h.Status == SyncStatus.Success || h.Status == SyncStatus.Partial));
            var last = await completed.OrderByDescending(h => h.SyncEndTime).FirstOrDefaultAsync(cancellationToken);
            var lastFullRead = await completed.Where(h => h.SyncType != SyncType.Incremental).MaxAsync(h => h.SyncEndTime, cancellationToken);
            result.Add(last is null
                ? EntityHistory.Never(entity.EntityType)
                : new EntityHistory(entity.EntityType, last.SyncEndTime ?? last.SyncStartTime, last.LastEventId, last.LastSyncTimestamp, lastFullRead));
        }

        return result;
    }
}
