using System.ComponentModel.DataAnnotations;

namespace CleverSyncSOS.Runs;

/// <summary>
/// <c>CleverSyncSOS:Scheduler</c>: when <c>serve</c> syncs by itself, how several processes share the work, and how a
/// process tells that another one is gone. The CLI reads the ownership keys too.
/// </summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "CleverSyncSOS:Scheduler";

    /// <summary>Quartz cron expression (seconds first) of the scheduled sync of every active school; UTC unless <see cref="TimeZone"/>.</summary>
    [Required]
    public string Cron { get; set; } = "0 0 2 * * ?";

    /// <summary>IANA or Windows time zone of <see cref="Cron"/>.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Whether <c>serve</c> nodes share one Quartz job store in SessionDb (PostgreSQL or SQL Server) as a cluster.</summary>
    public bool Clustered { get; set; }

    /// <summary>How often a process records in SessionDb that it is alive.</summary>
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>A process whose heartbeat is older than this is gone: its InProgress runs may be closed by others.</summary>
    [Range(2, 86400)]
    public int InstanceTimeoutSeconds { get; set; } = 60;

    /// <summary>How long a held scheduled sync (district authentication Unhealthy) waits before it looks again.</summary>
    [Range(1, 86400)]
    public int HoldRetrySeconds { get; set; } = 60;

    /// <summary>On shutdown, how long running syncs may go on before they are cancelled (and recorded Failed, nothing deleted).</summary>
    [Range(0, 3600)]
    public int ShutdownGraceSeconds { get; set; } = 30;

    /// <summary>A school whose last successful sync is older than this makes <c>/health</c> Degraded.</summary>
    [Range(1, 24 * 366)]
    public int MaxSyncAgeHours { get; set; } = 26;

    /// <summary>Clustered: how often a node checks in with the others (Quartz's cluster check-in interval).</summary>
    [Range(1, 3600)]
    public double CheckinIntervalSeconds { get; set; } = 10;

    /// <summary>Clustered: how late a node's check-in may be before another node recovers its jobs.</summary>
    [Range(1, 3600)]
    public double CheckinMisfireSeconds { get; set; } = 20;

    /// <summary>How late a trigger may fire before its misfire rule applies (the daily sync then runs once, at once).</summary>
    [Range(1, 86400)]
    public double MisfireThresholdSeconds { get; set; } = 60;

    /// <summary>
    /// How long an idle node waits before it looks in the job store again. Work queued by another node of a cluster
    /// is picked up by this node within this time.
    /// </summary>
    [Range(1, 300)]
    public double IdleWaitSeconds { get; set; } = 5;

    public TimeSpan InstanceTimeout => TimeSpan.FromSeconds(InstanceTimeoutSeconds);
}
