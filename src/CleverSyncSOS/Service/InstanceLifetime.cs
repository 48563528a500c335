using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.Service;

/// <summary>
/// The service's presence in SessionDb: registered (as a clustered node or a single instance) and heartbeating while it runs,
/// marked stopped when it stops cleanly; meanwhile it closes what processes that are gone left open.
/// </summary>
public sealed partial class InstanceLifetime(
    InstanceIdentity self,
    InstanceRegistry registry,
    SyncRunStore runs,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<InstanceLifetime> logger) : BackgroundService
{
    private IAsyncDisposable? _alive;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        self.Kind = options.Value.Clustered ? ServiceInstanceKind.ClusteredService : ServiceInstanceKind.Service;
        _alive = await registry.KeepAliveAsync(cancellationToken);
        LogStarted(logger, self.Id, self.Kind);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.InstanceTimeout, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await runs.CloseAbandonedAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCleanupFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_alive is not null)
        {
            await _alive.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "This process is {InstanceId} ({Kind})")]
    private static partial void LogStarted(ILogger logger, string instanceId, string kind);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Could not close runs of processes that are gone: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string reason);
}
