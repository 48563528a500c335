using System.Diagnostics;
using CleverSyncSOS.Persistence.Session;

namespace CleverSyncSOS.Runs;

/// <summary>This process, as other processes sharing SessionDb see it. One per process; <c>serve</c> sets its kind at start.</summary>
public sealed class InstanceIdentity
{
    public InstanceIdentity()
    {
        HostName = Environment.MachineName;
        ProcessId = Environment.ProcessId;
        Id = $"{(HostName.Length > 50 ? HostName[..50] : HostName)}-{ProcessId}-{Guid.NewGuid().ToString("N")[..12]}";
    }

    public string Id { get; }
    public string HostName { get; }
    public int ProcessId { get; }
    public string Kind { get; set; } = ServiceInstanceKind.Cli;

    /// <summary>
    /// Whether the process named by a row on this same machine has ended. A heartbeat needs a timeout to tell; a
    /// process id on the same host tells at once (a reused id only delays the answer to the heartbeat timeout).
    /// </summary>
    public bool IsGoneOnThisHost(ServiceInstance other)
    {
        if (!string.Equals(other.HostName, HostName, StringComparison.OrdinalIgnoreCase) || other.ProcessId == ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(other.ProcessId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
