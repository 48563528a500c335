namespace CleverSyncSOS.Persistence.Session;

/// <summary>
/// A process that syncs (a <c>serve</c> node or a CLI <c>sync</c>), with its heartbeat. The work a process owns
/// (its <see cref="SyncRunSchool"/> claims and InProgress <see cref="SyncHistory"/> rows) may be closed by another
/// process only once this row says the owner is gone.
/// </summary>
public class ServiceInstance
{
    public required string InstanceId { get; set; }

    /// <summary><see cref="ServiceInstanceKind"/>.</summary>
    public required string Kind { get; set; }

    public required string HostName { get; set; }
    public int ProcessId { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime HeartbeatAt { get; set; }

    /// <summary>Set when the process stopped cleanly.</summary>
    public DateTime? StoppedAt { get; set; }
}

public static class ServiceInstanceKind
{
    /// <summary>A CLI command (<c>sync</c>, <c>demo</c>).</summary>
    public const string Cli = "Cli";

    /// <summary>A <c>serve</c> process with the in-memory scheduler: its queued work dies with it.</summary>
    public const string Service = "Service";

    /// <summary>A clustered <c>serve</c> node: its queued work lives in the Quartz job store and another node takes it over.</summary>
    public const string ClusteredService = "ClusteredService";
}
