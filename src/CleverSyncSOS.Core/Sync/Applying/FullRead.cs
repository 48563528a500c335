using System.Threading.Channels;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Reading;

namespace CleverSyncSOS.Sync.Applying;

/// <summary>
/// A school's complete read under way (<see cref="FullSync.StartReading"/>): every source's reader, each filling a bounded
/// channel with validated batches for <see cref="FullSync.RunAsync"/> to write. It starts before the school's database is
/// opened, so opening it overlaps Clever's first answers. Disposing it stops any reader still running and waits for it:
/// a run that ends early (the database could not be opened, a write failed) leaves no read behind.
/// </summary>
public sealed class FullRead : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;

    internal FullRead(IReadOnlyList<SyncEntity> entities, IReadOnlyList<SourceRead> sources, CancellationTokenSource stop)
    {
        Entities = entities;
        Sources = sources;
        _stop = stop;
    }

    /// <summary>The entities read, in the order the run handles them (deletions, outcomes).</summary>
    public IReadOnlyList<SyncEntity> Entities { get; }

    internal IReadOnlyList<SourceRead> Sources { get; }

    /// <summary>Stops every reader and waits until each has ended; how a reader ended is read from its task by whoever needs it.</summary>
    internal async Task StopAsync()
    {
        await _stop.CancelAsync();
        foreach (var source in Sources)
        {
            await source.Reading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}

/// <summary>One source being read: the entities its records fill (in the order of each batch's tables), the batches read so far, and the reading itself.</summary>
internal sealed record SourceRead(CleverSource Key, IReadOnlyList<SyncEntity> Entities, ChannelReader<ReadBatch> Batches, Task<SourceReadResult> Reading);
