namespace CleverSyncSOS.Persistence.Session;

/// <summary>One request to sync (the schedule, an API trigger or a CLI <c>sync</c>); its schools are <see cref="SyncRunSchool"/> rows.</summary>
public class SyncRun
{
    public Guid RunId { get; set; }

    /// <summary><see cref="SyncTrigger"/>.</summary>
    public required string Trigger { get; set; }

    /// <summary>The school asked for (SchoolId or Clever id), or null.</summary>
    public string? School { get; set; }

    /// <summary>The Clever district asked for, or null.</summary>
    public string? District { get; set; }

    public bool ForceFull { get; set; }
    public bool AllowMassDelete { get; set; }

    /// <summary>Who asked: the API caller's key name or token subject, the CLI's instance, or the schedule.</summary>
    public string? RequestedBy { get; set; }

    public DateTime RequestedAt { get; set; }
}

public static class SyncTrigger
{
    public const string Schedule = "Schedule";
    public const string Api = "Api";
    public const string Cli = "Cli";
}
