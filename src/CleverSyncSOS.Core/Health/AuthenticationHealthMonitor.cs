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
    private volatile IReadOnlyList<ActiveDistrict>? _districts;

    /// <summary>The active districts as last read from SessionDb (null until the first read), so health lists every one from its first answer.</summary>
    public IReadOnlyList<ActiveDistrict>? ActiveDistricts => _districts;

    /// <summary>Reads the districts before the service answers anything; the first token checks then run in the background.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadDistrictsAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

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
        var districts = await LoadDistrictsAsync(cancellationToken);
        if (districts is null)
        {
            return;
        }

        // Every district at once: one slow or failing district must not delay the first answer about the others.
        await Parallel.ForEachAsync(districts, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (district, ct) =>
            {
                try
                {
                    await tokens.CheckAsync(district.Credentials, ct);
                }
                catch (CleverAuthenticationException)
                {
                    // Already recorded in the health tracker and logged by the token provider.
                }
            });
    }

    private async Task<IReadOnlyList<ActiveDistrict>?> LoadDistrictsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
            var rows = await db.Districts.AsNoTracking().Where(d => d.IsActive).OrderBy(d => d.CleverDistrictId).ToListAsync(cancellationToken);
            return _districts = rows.Select(d => new ActiveDistrict(d.CleverDistrictId, d.Name, DistrictCredentials.For(d, secretOptions.Value.VaultUri))).ToList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSessionDbUnavailable(logger, ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "The authentication health check could not read SessionDb: {Reason}")]
    private static partial void LogSessionDbUnavailable(ILogger logger, string reason);
}

/// <summary>An active district the health check reports on.</summary>
public sealed record ActiveDistrict(string CleverDistrictId, string Name, DistrictCredentials Credentials);
