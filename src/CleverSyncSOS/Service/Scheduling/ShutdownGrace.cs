using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.Service.Scheduling;

/// <summary>
/// On SIGTERM, running syncs get <see cref="Runs.SchedulerOptions.ShutdownGraceSeconds"/> to finish; then this token is
/// cancelled and they stop cleanly (history Failed, "cancelled at shutdown", nothing deleted). Quartz waits for them.
/// </summary>
public sealed partial class ShutdownGrace(IHostApplicationLifetime lifetime, IOptions<Runs.SchedulerOptions> options, TimeProvider time,
    ILogger<ShutdownGrace> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private CancellationTokenRegistration _stopping;

    public CancellationToken Token => _cancel.Token;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(() =>
        {
            var grace = TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds);
            LogStopping(logger, grace.TotalSeconds);
            if (grace == TimeSpan.Zero)
            {
                _cancel.Cancel();
            }
            else
            {
                _ = CancelAfterAsync(grace);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CancelAfterAsync(TimeSpan grace)
    {
        await Task.Delay(grace, time);
        try
        {
            await _cancel.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The host finished stopping first: nothing was left to cancel.
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _cancel.Dispose();
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Stopping: running syncs have {Seconds} s to finish before they are cancelled")]
    private static partial void LogStopping(ILogger logger, double seconds);
}
