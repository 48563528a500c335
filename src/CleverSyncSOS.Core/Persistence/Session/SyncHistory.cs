namespace CleverSyncSOS.Persistence.Session;

/// <summary>One sync of one entity type for one school (seed entity 7).</summary>
public class SyncHistory
{
    public int SyncId { get; set; }
    public int SchoolId { get; set; }
    public required string EntityType { get; set; }
    public SyncType SyncType { get; set; } = SyncType.Incremental;
    public DateTime SyncStartTime { get; set; }
    public DateTime? SyncEndTime { get; set; }
    public required string Status { get; set; }

    /// <summary>Records read from Clever and written or confirmed unchanged.</summary>
    public int RecordsProcessed { get; set; }

    public int RecordsFailed { get; set; }

    /// <summary>Not in the seed: how many of the processed records were created, updated and deleted.</summary>
    public int RecordsCreated { get; set; }

    public int RecordsUpdated { get; set; }
    public int RecordsDeleted { get; set; }
    public string? ErrorMessage { get; set; }

    /// <summary>Not in the seed: the mass-deletion guard held this sync's deletions back (an operator must approve them).</summary>
    public bool DeletionsHeld { get; set; }

    /// <summary>The newest Clever <c>last_modified</c> seen so far; the fallback incremental sync writes only newer records.</summary>
    public DateTime? LastSyncTimestamp { get; set; }

    /// <summary>Not in the seed: the Clever event id to read events after on the next incremental sync.</summary>
    public string? LastEventId { get; set; }

    /// <summary>Not in the seed: the <see cref="SyncRun"/> this row belongs to.</summary>
    public Guid? RunId { get; set; }

    /// <summary>Not in the seed: the <see cref="ServiceInstance"/> that wrote it; only a gone owner's InProgress rows are closed by others.</summary>
    public string? InstanceId { get; set; }
}
