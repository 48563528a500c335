using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CleverSyncSOS.Host.Service.Scheduling;

/// <summary>
/// On SIGTERM (stopped before the scheduler, being registered after it): this node takes no new work and gives running
/// syncs <see cref="Runs.SchedulerOptions.ShutdownGraceSeconds"/> to finish. Then the scheduler's own shutdown cancels
/// the rest; each records "cancelled at shutdown" (nothing deleted) and, clustered, hands its school back to the cluster.
/// </summary>
public sealed partial class ShutdownGrace(ISchedulerFactory schedulers, IOptions<Runs.SchedulerOptions> options, TimeProvider time,
    ILogger<ShutdownGrace> logger) : IHostedService
{
    private int _running;

    /// <summary>Counts a running school sync until disposed.</summary>
    public IDisposable Track()
    {
        Interlocked.Increment(ref _running);
        return new Running(this);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(CancellationToken.None);
        if (scheduler.Status == SchedulerStatus.Running)
        {
            await scheduler.Standby(CancellationToken.None); // queued work stays queued: for this node's next start, or another node
        }

        var grace = TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds);
        LogStopping(logger, Volatile.Read(ref _running), grace.TotalSeconds);
        var deadline = time.GetUtcNow() + grace;
        while (Volatile.Read(ref _running) > 0 && time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Stopping: {Running} running syncs have {Seconds} s to finish before they are cancelled")]
    private static partial void LogStopping(ILogger logger, int running, double seconds);

    private sealed class Running(ShutdownGrace owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._running);
            }
        }
    }
}
