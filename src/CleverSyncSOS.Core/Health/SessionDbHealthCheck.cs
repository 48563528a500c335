using CleverSyncSOS.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleverSyncSOS.Health;

/// <summary>Readiness: SessionDb answers. The description never carries the provider's message (it can name the server).</summary>
public sealed class SessionDbHealthCheck(SessionDatabase sessionDatabase) : IHealthCheck
{
    public const string Name = "sessiondb";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("SessionDb answers.")
                : HealthCheckResult.Unhealthy("SessionDb does not answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"SessionDb cannot be reached ({ex.GetType().Name}).");
        }
    }
}
