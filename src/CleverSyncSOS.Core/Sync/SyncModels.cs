using CleverSyncSOS.Authentication;
using CleverSyncSOS.Persistence.Session;

namespace CleverSyncSOS.Sync;

/// <summary>What to sync. <paramref name="School"/> is a SchoolId or a Clever school id; null means every active school.
/// <paramref name="DryRun"/>: read Clever and report what would change, writing nothing anywhere.</summary>
public sealed record SyncRequest(string? School = null, bool ForceFull = false, bool AllowMassDelete = false, bool DryRun = false)
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

/// <summary>A record a sync skipped: its Clever id and why (never a value). Kept in SyncFailedRecords, the first few per entity and run.</summary>
public sealed record FailedRecord(string CleverId, string Reason)
{
    public const int KeptPerEntity = 100;
    public const int MaxIdLength = 100;
    public const int MaxReasonLength = 500;

    /// <summary>Adds <paramref name="failure"/> while fewer than <see cref="KeptPerEntity"/> are kept; the count goes on in RecordsFailed.</summary>
    public static void Keep(List<FailedRecord> kept, string cleverId, string reason)
    {
        if (kept.Count < KeptPerEntity)
        {
            kept.Add(new FailedRecord(Cut(cleverId, MaxIdLength), Cut(reason, MaxReasonLength)));
        }
    }

    /// <summary>Bounded, and without NUL (an id from a hostile page may carry one; PostgreSQL's text refuses it, and the row must be written).</summary>
    private static string Cut(string value, int length)
    {
        value = value.Replace("\0", "\\0", StringComparison.Ordinal);
        return value.Length <= length ? value : value[..length];
    }
}

/// <summary>The result of one entity type at one school in one run; becomes its SyncHistory row.</summary>
public sealed record EntitySyncOutcome(string EntityType, SyncType SyncType)
{
    public int Processed { get; init; }
    public int Failed { get; init; }
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Deleted { get; init; }
    public DateTime? MaxLastModified { get; init; }

    /// <summary>Set when the mass-deletion guard held back deletions.</summary>
    public string? Warning { get; init; }

    /// <summary>The mass-deletion guard held this entity's deletions back: recorded as <c>SyncHistory.DeletionsHeld</c>.</summary>
    public bool DeletionsHeld => Warning is not null;

    /// <summary>The first records skipped (id and reason), at most <see cref="FailedRecord.KeptPerEntity"/>.</summary>
    public IReadOnlyList<FailedRecord> FailedRecords { get; init; } = [];

    public string? Error { get; init; }

    /// <summary>Set when the entity was not read at all (see <see cref="SyncStatus.Skipped"/>).</summary>
    public string? SkippedBecause { get; init; }

    /// <summary>A few of the record changes (for dry runs and reports); the change log has them all.</summary>
    public IReadOnlyList<Changes.RecordChange> Examples { get; init; } = [];

    public string Status => Error is not null ? SyncStatus.Failed
        : SkippedBecause is not null ? SyncStatus.Skipped
        : Failed > 0 || Warning is not null ? SyncStatus.Partial
        : SyncStatus.Success;
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
        : Entities.Any(e => e.Status is SyncStatus.Partial or SyncStatus.Skipped) ? SyncStatus.Partial
        : SyncStatus.Success;

    public SyncType SyncType => Entities.Count > 0 ? Entities[0].SyncType : SyncType.Incremental;
}
