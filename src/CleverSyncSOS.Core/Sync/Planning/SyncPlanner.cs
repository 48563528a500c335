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
