using System.Net;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Planning;
using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Sync.Events;

/// <summary>
/// Clever's events read once per district per run and shared by the run's schools in this process (the CLI's run, or
/// the service's school jobs of one run on one node). The stream starts at the oldest cursor among the district's
/// schools that may sync incrementally, so each school finds its own cursor in it and applies only what follows; a
/// school whose cursor is not in it (named explicitly while inactive, or synced by another run meanwhile) reads its own
/// stream from its own cursor. The newest event, the cursor taken before a full read, is shared the same way.
/// Memory: at most one district stream per district is kept (a new run's replaces the last one; the CLI drops its
/// own at the end of the run), each bounded by <see cref="SyncOptions.MaxBufferedEvents"/>.
/// </summary>
public sealed partial class DistrictEventFeeds(SyncPlanner planner, ILogger<DistrictEventFeeds> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Feed> _byDistrict = new(StringComparer.Ordinal);

    /// <summary>
    /// The events a school with <paramref name="cursor"/> has not applied yet, with the district's newest event id.
    /// Throws a 404 <see cref="CleverApiException"/> when Clever no longer keeps the school's cursor.
    /// </summary>
    public async Task<DistrictEventStream> StreamAsync(Guid? runId, SchoolSyncTarget target, string cursor, IReadOnlyList<SyncEntity> entities,
        DistrictEventReader reader, CancellationToken cancellationToken)
    {
        if (runId is { } run)
        {
            var feed = FeedFor(run, target.District.CleverDistrictId);
            var shared = feed.Stream(() => ReadSharedAsync(target, cursor, entities, reader, cancellationToken));
            try
            {
                if (await shared is { } stream && (stream.Covers(cursor) || stream.Overflowed))
                {
                    return stream;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The shared read failed (its first reader's trouble); this school reads on its own rather than fail with it.
                LogSharedReadFailed(logger, target.District.CleverDistrictId, ex.Message);
            }

            LogOwnRead(logger, target.School.Name, cursor);
        }

        return await reader.ReadAsync(target.Credentials, cursor, entities, cancellationToken);
    }

    /// <summary>The newest event of the district before a full read (null: events unavailable), taken once per run.</summary>
    public async Task<string?> LatestEventIdAsync(Guid? runId, SchoolSyncTarget target, IReadOnlyList<SyncEntity> entities, DistrictEventReader reader,
        CancellationToken cancellationToken)
    {
        if (runId is not { } run)
        {
            return await reader.LatestEventIdAsync(target.Credentials, cancellationToken);
        }

        var feed = FeedFor(run, target.District.CleverDistrictId);
        try
        {
            // When the run reads the stream anyway, its newest event is the cursor; otherwise one look-up for the district.
            var stream = await feed.Stream(() => ReadSharedAsync(target, null, entities, reader, cancellationToken));
            if (stream is not null)
            {
                return stream.Last;
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogSharedReadFailed(logger, target.District.CleverDistrictId, ex.Message);
        }

        return await feed.Latest(() => reader.LatestEventIdAsync(target.Credentials, cancellationToken));
    }

    /// <summary>Drops the streams of a finished run.</summary>
    public void Forget(Guid runId)
    {
        lock (_gate)
        {
            foreach (var district in _byDistrict.Where(f => f.Value.RunId == runId).Select(f => f.Key).ToList())
            {
                _byDistrict.Remove(district);
            }
        }
    }

    private Feed FeedFor(Guid runId, string district)
    {
        lock (_gate)
        {
            if (!_byDistrict.TryGetValue(district, out var feed) || feed.RunId != runId)
            {
                feed = new Feed(runId);
                _byDistrict[district] = feed;
            }

            return feed;
        }
    }

    /// <summary>
    /// From the oldest cursor of the district's schools (and the first caller's); a cursor Clever no longer keeps is
    /// passed over for the next one (its school reads on its own and is compared in full). Null when no school has one.
    /// </summary>
    private async Task<DistrictEventStream?> ReadSharedAsync(SchoolSyncTarget target, string? callerCursor, IReadOnlyList<SyncEntity> entities,
        DistrictEventReader reader, CancellationToken cancellationToken)
    {
        var cursors = (await planner.DistrictCursorsAsync(target.District.CleverDistrictId, entities, cancellationToken)).ToList();
        if (callerCursor is { Length: > 0 } && !cursors.Contains(callerCursor, StringComparer.Ordinal))
        {
            cursors.Add(callerCursor);
            cursors.Sort(StringComparer.Ordinal);
        }

        foreach (var start in cursors)
        {
            try
            {
                return await reader.ReadAsync(target.Credentials, start, entities, cancellationToken);
            }
            catch (CleverApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && start != cursors[^1])
            {
                LogStartExpired(logger, target.District.CleverDistrictId, start);
            }
        }

        return null;
    }

    private sealed class Feed(Guid runId)
    {
        private readonly Lock _gate = new();
        private Task<DistrictEventStream?>? _stream;
        private Task<string?>? _latest;

        public Guid RunId { get; } = runId;

        public Task<DistrictEventStream?> Stream(Func<Task<DistrictEventStream?>> read)
        {
            lock (_gate)
            {
                return _stream ??= read();
            }
        }

        public Task<string?> Latest(Func<Task<string?>> read)
        {
            lock (_gate)
            {
                return _latest ??= read();
            }
        }
    }

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "The shared event read of district {CleverDistrictId} failed ({Reason}); its schools read their own")]
    private static partial void LogSharedReadFailed(ILogger logger, string cleverDistrictId, string reason);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "{SchoolName} reads its own events after {Cursor}: the district's stream of this run does not hold its cursor")]
    private static partial void LogOwnRead(ILogger logger, string schoolName, string cursor);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "The event cursor {Cursor} of district {CleverDistrictId} is no longer kept by Clever; its stream starts at the next school's cursor")]
    private static partial void LogStartExpired(ILogger logger, string cleverDistrictId, string cursor);
}
