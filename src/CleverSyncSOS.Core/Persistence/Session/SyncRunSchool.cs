namespace CleverSyncSOS.Persistence.Session;

/// <summary>
/// One school in one <see cref="SyncRun"/>. While its status is Queued or Running it is the school's claim: a unique
/// index allows one such row per school, so two processes never sync one school at once.
/// </summary>
public class SyncRunSchool
{
    public int Id { get; set; }
    public Guid RunId { get; set; }
    public int SchoolId { get; set; }

    /// <summary><see cref="SyncRunStatus"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Why it was held, paused, skipped or failed.</summary>
    public string? Reason { get; set; }

    /// <summary>The <see cref="ServiceInstance"/> that queued or runs it.</summary>
    public string? InstanceId { get; set; }

    public DateTime QueuedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

public static class SyncRunStatus
{
    public const string Queued = "Queued";
    public const string Running = "Running";
    public const string Success = "Success";
    public const string Partial = "Partial";
    public const string Failed = "Failed";

    /// <summary>A scheduled sync not run because the district's Clever authentication is Unhealthy; retried until it heals.</summary>
    public const string Held = "Held";

    /// <summary>A scheduled sync not run because the district is in a pause window.</summary>
    public const string Paused = "Paused";

    /// <summary>Not run because the school was already being synced.</summary>
    public const string Skipped = "Skipped";

    /// <summary>The two statuses that hold a school's claim.</summary>
    public static readonly string[] Active = [Queued, Running];

    /// <summary>The statuses a school's row ends in (Held is not one: a held school is retried).</summary>
    public static readonly string[] IsFinalStatuses = [Success, Partial, Failed, Paused, Skipped];

    public static bool IsFinal(string status) => IsFinalStatuses.Contains(status);
}
