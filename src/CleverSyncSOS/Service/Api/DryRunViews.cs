using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Changes;

namespace CleverSyncSOS.Host.Service.Api;

/// <summary>
/// The answer of <c>POST /api/syncs</c> with <c>dryRun</c>: what <c>cleversync sync --dry-run</c> prints (<c>DryRunReport</c>), from the
/// same results, per school and entity: what the sync would create, update and delete, a few examples, and the mass-deletion guard's verdict.
/// </summary>
public sealed record DryRunView(bool DryRun, IReadOnlyList<DryRunSchoolView> Schools)
{
    public static DryRunView From(IReadOnlyList<SchoolSyncResult> results) => new(true, results.Select(DryRunSchoolView.From).ToList());
}

public sealed record DryRunSchoolView(int SchoolId, string CleverSchoolId, string Name, string CleverDistrictId, string SyncType, string Status, string? Error,
    IReadOnlyList<DryRunEntityView> Entities)
{
    public static DryRunSchoolView From(SchoolSyncResult r) => new(r.SchoolId, r.CleverSchoolId, r.SchoolName, r.CleverDistrictId,
        r.Entities.Count > 0 ? r.SyncType.ToString() : "-", r.Status, r.Error, r.Entities.Select(DryRunEntityView.From).ToList());
}

/// <summary><paramref name="DeletionsHeld"/>: the guard would hold this entity's deletions back (<paramref name="Warning"/> says why).</summary>
public sealed record DryRunEntityView(string EntityType, string SyncType, string Status, int Read, int Failed, int WouldCreate, int WouldUpdate, int WouldDelete,
    bool DeletionsHeld, string? Warning, string? Error, IReadOnlyList<RecordChange> Examples)
{
    public static DryRunEntityView From(EntitySyncOutcome e) => new(e.EntityType, e.SyncType.ToString(), e.Status, e.Processed, e.Failed, e.Created, e.Updated,
        e.Deleted, e.DeletionsHeld, e.Warning, e.Error ?? e.SkippedBecause, e.Examples);
}
