using System.Collections.Concurrent;
using CleverSyncSOS.Sync;

namespace CleverSyncSOS.Host.Service.Scheduling;

/// <summary>
/// What each school this process is syncing is doing now (stage, entity, records read), for <c>GET /api/syncs/{id}</c>.
/// Finished work is read from SessionDb; only the node running a school knows its live progress.
/// </summary>
public sealed class LiveProgress
{
    private readonly ConcurrentDictionary<(Guid RunId, int SchoolId), SyncProgress> _current = new();

    public IProgress<SyncProgress> For(Guid runId, int schoolId) => new Reporter(this, (runId, schoolId));

    public SyncProgress? Get(Guid runId, int schoolId) => _current.GetValueOrDefault((runId, schoolId));

    public void Remove(Guid runId, int schoolId) => _current.TryRemove((runId, schoolId), out _);

    private sealed class Reporter(LiveProgress owner, (Guid, int) key) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => owner._current[key] = value;
    }
}
