using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Runs;

/// <summary>
/// Records this process in SessionDb (<see cref="ServiceInstance"/>) and keeps its heartbeat while it syncs, and answers
/// which processes are still alive, so one process never closes work another one is still doing.
/// </summary>
public sealed partial class InstanceRegistry(
    SessionDatabase sessionDatabase,
    InstanceIdentity self,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<InstanceRegistry> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _keepAlives;
    private CancellationTokenSource? _heartbeat;

    /// <summary>Registers this process (once) and heartbeats until every returned handle is disposed.</summary>
    public async Task<IAsyncDisposable> KeepAliveAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_keepAlives++ == 0)
            {
                await BeatAsync(stopped: false, cancellationToken);
                _heartbeat = new CancellationTokenSource();
                _ = HeartbeatLoopAsync(_heartbeat.Token);
            }
        }
        finally
        {
            _gate.Release();
        }

        return new Handle(this);
    }

    /// <summary>The ids of the processes alive now (this one always).</summary>
    public async Task<HashSet<string>> LiveInstanceIdsAsync(CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var since = time.GetUtcNow().UtcDateTime - options.Value.InstanceTimeout;
        var recent = await db.ServiceInstances.AsNoTracking().Where(i => i.StoppedAt == null && i.HeartbeatAt >= since).ToListAsync(cancellationToken);
        var live = recent.Where(i => !self.IsGoneOnThisHost(i)).Select(i => i.InstanceId).ToHashSet(StringComparer.Ordinal);
        live.Add(self.Id);
        return live;
    }

    public async Task<ServiceInstance?> FindAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        return await db.ServiceInstances.AsNoTracking().SingleOrDefaultAsync(i => i.InstanceId == instanceId, cancellationToken);
    }

    private async Task ReleaseAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (--_keepAlives == 0)
            {
                await (_heartbeat?.CancelAsync() ?? Task.CompletedTask);
                _heartbeat?.Dispose();
                _heartbeat = null;
                await BeatAsync(stopped: true, CancellationToken.None);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await BeatAsync(stopped: false, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A missed beat is retried at the next tick; only a run of them makes this process look gone.
                    LogHeartbeatFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task BeatAsync(bool stopped, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.ServiceInstances.SingleOrDefaultAsync(i => i.InstanceId == self.Id, cancellationToken);
        if (row is null)
        {
            row = new ServiceInstance { InstanceId = self.Id, Kind = self.Kind, HostName = Truncate(self.HostName, 200), ProcessId = self.ProcessId, StartedAt = now };
            db.ServiceInstances.Add(row);
        }

        row.Kind = self.Kind;
        row.HeartbeatAt = now;
        row.StoppedAt = stopped ? now : null;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Could not record this process's heartbeat in SessionDb: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);

    private sealed class Handle(InstanceRegistry registry) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? new ValueTask(registry.ReleaseAsync()) : ValueTask.CompletedTask;
    }
}
