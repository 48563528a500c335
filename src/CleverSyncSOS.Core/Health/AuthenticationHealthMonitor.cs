using CleverSyncSOS.Authentication;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Health;

/// <summary>
/// Probes every active district's token every <see cref="CleverAuthConfiguration.HealthCheckIntervalSeconds"/>,
/// so <c>/health/clever-auth</c> reflects Clever's answer now (revoked or rotated credentials) rather than the
/// last sync's.
/// </summary>
public sealed partial class AuthenticationHealthMonitor(
    ICleverTokenProvider tokens,
    SessionDatabase sessionDatabase,
    IOptions<CleverAuthConfiguration> options,
    IOptions<SecretStoreOptions> secretOptions,
    TimeProvider time,
    ILogger<AuthenticationHealthMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HealthCheckIntervalSeconds), time);
        do
        {
            await CheckAllAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task CheckAllAsync(CancellationToken cancellationToken)
    {
        List<Persistence.Session.District> districts;
        try
        {
            await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
            districts = await db.Districts.AsNoTracking().Where(d => d.IsActive).ToListAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSessionDbUnavailable(logger, ex.Message);
            return;
        }

        foreach (var district in districts)
        {
            var credentials = DistrictCredentials.For(district, secretOptions.Value.VaultUri);
            try
            {
                await tokens.CheckAsync(credentials, cancellationToken);
            }
            catch (CleverAuthenticationException)
            {
                // Already recorded in the health tracker and logged by the token provider.
            }
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "The authentication health check could not read SessionDb: {Reason}")]
    private static partial void LogSessionDbUnavailable(ILogger logger, string reason);
}
