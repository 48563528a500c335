using CleverSyncSOS.Credentials;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleverSyncSOS.Health;

/// <summary>Readiness: the secret store can be read (a lookup answers, found or not). Nothing read is reported.</summary>
public sealed class SecretStoreReadableHealthCheck(ISecretStore secrets) : IHealthCheck
{
    public const string Name = "secret-store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            _ = await secrets.GetSecretAsync(SecretNames.SessionDbConnectionString, cancellationToken);
            return HealthCheckResult.Healthy("The secret store can be read.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The secret store cannot be read ({ex.GetType().Name}).");
        }
    }
}
