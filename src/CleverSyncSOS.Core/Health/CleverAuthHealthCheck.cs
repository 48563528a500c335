using CleverSyncSOS.Authentication;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleverSyncSOS.Health;

/// <summary>
/// The health of Clever authentication across districts, for <c>/health/clever-auth</c>:
/// Healthy when every district's last acquisition succeeded; Degraded when a district runs on its cached token
/// after transient failures (or with the circuit open), or the secret store serves from its cache;
/// Unhealthy when a district has no usable token or its credentials were rejected.
/// </summary>
public sealed class CleverAuthHealthCheck(AuthenticationHealthTracker tracker, IEnumerable<ISecretStoreHealthReporter> secretStores) : IHealthCheck
{
    public const string Name = "clever-auth";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var districts = tracker.All;
        var stores = secretStores.Select(s => s.Report()).Where(r => r is not null).Cast<SecretStoreHealthReport>().ToList();
        var data = new Dictionary<string, object>
        {
            ["districts"] = districts,
            ["secretStores"] = stores,
        };

        var unhealthy = districts.Where(d => !d.IsHealthy && (!d.UsingCachedToken || !d.LastFailureTransient)).ToList();
        if (unhealthy.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"Clever authentication fails for {string.Join(", ", unhealthy.Select(d => d.CleverDistrictId))}.", data: data));
        }

        var degraded = districts.Where(d => !d.IsHealthy || d.CircuitOpen).Select(d => d.CleverDistrictId)
            .Concat(stores.Where(s => !s.IsHealthy).Select(s => s.Name)).ToList();
        if (degraded.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"Running on cached values for {string.Join(", ", degraded)}.", data: data));
        }

        return Task.FromResult(districts.Count == 0
            ? HealthCheckResult.Healthy("No district token has been requested yet.", data)
            : HealthCheckResult.Healthy($"{districts.Count} district(s) authenticated.", data));
    }
}

/// <summary>A secret store that can report its own health (Key Vault reachability).</summary>
public interface ISecretStoreHealthReporter
{
    SecretStoreHealthReport? Report();
}

public sealed record SecretStoreHealthReport(string Name, bool IsHealthy, DateTime? LastSuccessAt, string? LastError, DateTime? LastCheckedAt);
