using CleverSyncSOS.Observability;

namespace CleverSyncSOS.Host.Service.Scheduling;

/// <summary>The scheduler's measurements, on the one CleverSyncSOS meter.</summary>
public static class SyncMetrics
{
    public static void Held(string cleverDistrictId) =>
        CleverSyncTelemetry.ScheduledSkipped.Add(1, new("reason", "held"), new("district", cleverDistrictId));

    public static void Paused(string cleverDistrictId) =>
        CleverSyncTelemetry.ScheduledSkipped.Add(1, new("reason", "paused"), new("district", cleverDistrictId));
}
