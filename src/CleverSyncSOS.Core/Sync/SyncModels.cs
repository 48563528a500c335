using CleverSyncSOS.Authentication;
using CleverSyncSOS.Persistence.Session;

namespace CleverSyncSOS.Sync;

/// <summary>What to sync. <paramref name="School"/> is a SchoolId or a Clever school id; null means every active school.</summary>
public sealed record SyncRequest(string? School = null, bool ForceFull = false, bool AllowMassDelete = false)
{
    /// <summary>The run (SyncRuns) the school's history rows belong to; set by the orchestrator.</summary>
    public Guid? RunId { get; init; }

    /// <summary>What history says when the sync is cancelled; the service says "cancelled at shutdown".</summary>
    public string? CancelledMessage { get; init; }
}

/// <summary>One school to sync, with its district and where the district's credentials are.</summary>
public sealed record SchoolSyncTarget(School School, District District, DistrictCredentials Credentials);

/// <summary>Progress of one school, for the CLI and logs.</summary>
public sealed record SyncProgress(string SchoolName, string Stage, string? EntityType = null, int RecordsRead = 0);

/// <summary>The result of one entity type at one school in one run; becomes its SyncHistory row.</summary>
public sealed class EntitySyncOutcome(string entityType, SyncType syncType)
{
    public string EntityType { get; } = entityType;
    public SyncType SyncType { get; set; } = syncType;
    public int Processed { get; set; }
    public int Failed { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Deleted { get; set; }
    public DateTime? MaxLastModified { get; set; }

    /// <summary>Set when the mass-deletion guard held back deletions.</summary>
    public string? Warning { get; set; }

    public string? Error { get; set; }

    public string Status => Error is not null ? SyncStatus.Failed
        : Failed > 0 || Warning is not null ? SyncStatus.Partial
        : SyncStatus.Success;

    public void ObserveLastModified(DateTime? value)
    {
        if (value is { } v && (MaxLastModified is null || v > MaxLastModified))
        {
            MaxLastModified = v;
        }
    }

    /// <summary>A fallback re-read starts from zero.</summary>
    public void Reset()
    {
        Processed = Failed = Created = Updated = Deleted = 0;
        MaxLastModified = null;
        Warning = null;
    }
}

/// <summary>The outcome of one school's sync.</summary>
public sealed record SchoolSyncResult(
    int SchoolId,
    string CleverSchoolId,
    string SchoolName,
    string CleverDistrictId,
    IReadOnlyList<EntitySyncOutcome> Entities,
    TimeSpan Duration,
    string? Error)
{
    public string Status => Error is not null || Entities.Any(e => e.Status == SyncStatus.Failed) ? SyncStatus.Failed
        : Entities.Any(e => e.Status == SyncStatus.Partial) ? SyncStatus.Partial
        : SyncStatus.Success;

    public SyncType SyncType => Entities.Count > 0 ? Entities[0].SyncType : SyncType.Incremental;
}

/// <summary>
/// What the next sync of a school must be, from its history: Full (first sync, flagged, or asked for),
/// Incremental (Clever's events since <see cref="EventCursor"/>), or
/// Reconciliation (a full read compared with the database: no events to use, or the last full read is old).
/// </summary>
public sealed record SyncPlan(SyncType SyncType, string? EventCursor, IReadOnlyDictionary<string, DateTime?> LastSyncTimestamps)
{
    public bool Full => SyncType == SyncType.Full;
}
