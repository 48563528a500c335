using CleverSyncSOS.Authentication;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleverSyncSOS.Health;

/// <summary>
/// The health of Clever authentication across districts, for <c>/health/clever-auth</c>:
/// Healthy when every district's last acquisition succeeded; Degraded when a district runs on its cached token
/// after transient failures (or with the circuit open), or the secret store serves from its cache;
/// Unhealthy when a district has no usable token or its credentials were rejected.
/// </summary>
public sealed class CleverAuthHealthCheck(
    AuthenticationHealthTracker tracker,
    IEnumerable<ISecretStoreHealthReporter> secretStores,
    AuthenticationHealthMonitor? monitor = null) : IHealthCheck
{
    public const string Name = "clever-auth";

    /// <summary>No usable token, or credentials rejected: what makes the endpoint Unhealthy and holds scheduled syncs.</summary>
    public static bool IsUnhealthy(AuthenticationHealthStatus status) =>
        !status.IsHealthy && (!status.UsingCachedToken || !status.LastFailureTransient);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var districts = Districts();
        var stores = secretStores.Select(s => s.Report()).Where(r => r is not null).Cast<SecretStoreHealthReport>().ToList();
        var data = new Dictionary<string, object>
        {
            ["districts"] = districts,
            ["secretStores"] = stores,
        };

        var unhealthy = districts.Where(d => d.Status == HealthStatus.Unhealthy.ToString()).ToList();
        if (unhealthy.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"Clever authentication fails for {string.Join(", ", unhealthy.Select(d => d.CleverDistrictId))}.", data: data));
        }

        if (monitor is { ActiveDistricts: null })
        {
            return Task.FromResult(HealthCheckResult.Degraded("The districts could not be read from SessionDb yet.", data: data));
        }

        var unknown = districts.Where(d => d.Status == UnknownStatus).Select(d => d.CleverDistrictId).ToList();
        if (unknown.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"Not checked yet: {string.Join(", ", unknown)}.", data: data));
        }

        var degraded = districts.Where(d => d.Status == HealthStatus.Degraded.ToString()).Select(d => d.CleverDistrictId)
            .Concat(stores.Where(s => !s.IsHealthy).Select(s => s.Name)).ToList();
        if (degraded.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"Running on cached values for {string.Join(", ", degraded)}.", data: data));
        }

        return Task.FromResult(districts.Count == 0
            ? HealthCheckResult.Healthy("No active district is onboarded.", data)
            : HealthCheckResult.Healthy($"{districts.Count} district(s) authenticated.", data));
    }

    public const string UnknownStatus = "Unknown";

    /// <summary>Every active district (Unknown until its first check), and any other district a token was asked for.</summary>
    private List<DistrictAuthHealth> Districts()
    {
        var statuses = tracker.All.ToDictionary(s => s.CleverDistrictId, StringComparer.Ordinal);
        var active = monitor?.ActiveDistricts ?? [];
        var ids = active.Select(d => d.CleverDistrictId).Concat(statuses.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return ids.Select(id => DistrictAuthHealth.From(id, active.FirstOrDefault(d => d.CleverDistrictId == id)?.Name, statuses.GetValueOrDefault(id)))
            .ToList();
    }
}

/// <summary>One district in <c>/health/clever-auth</c>: the seed's AuthenticationHealthStatus fields and its own status.</summary>
public sealed record DistrictAuthHealth(
    string CleverDistrictId, string? Name, string Status, bool IsHealthy, DateTime? LastSuccessTimestamp, string? LastErrorMessage,
    int ErrorCount, DateTime? LastCheckedAt, bool UsingCachedToken, bool CircuitOpen)
{
    public static DistrictAuthHealth From(string id, string? name, AuthenticationHealthStatus? s) => s is null
        ? new(id, name, CleverAuthHealthCheck.UnknownStatus, false, null, null, 0, null, false, false)
        : new(id, name, StatusOf(s), s.IsHealthy, s.LastSuccessTimestamp, s.LastErrorMessage, s.ErrorCount, s.LastCheckedAt, s.UsingCachedToken, s.CircuitOpen);

    private static string StatusOf(AuthenticationHealthStatus s) =>
        CleverAuthHealthCheck.IsUnhealthy(s) ? HealthStatus.Unhealthy.ToString()
        : !s.IsHealthy || s.CircuitOpen ? HealthStatus.Degraded.ToString()
        : HealthStatus.Healthy.ToString();
}

/// <summary>A secret store that can report its own health (Key Vault reachability).</summary>
public interface ISecretStoreHealthReporter
{
    SecretStoreHealthReport? Report();
}

public sealed record SecretStoreHealthReport(string Name, bool IsHealthy, DateTime? LastSuccessAt, string? LastError, DateTime? LastCheckedAt);
