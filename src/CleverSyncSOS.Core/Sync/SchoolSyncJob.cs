using System.Diagnostics;
using System.Net;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Observability;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Applying;
using CleverSyncSOS.Sync.Changes;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Events;
using CleverSyncSOS.Sync.Planning;
using CleverSyncSOS.Sync.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync;

/// <summary>
/// Syncs one school: decides full or incremental from its history, records the run in SyncHistory, and runs
/// the read inside one transaction on the school's own database. Any failure is caught here and recorded,
/// so it never reaches another school's sync.
/// </summary>
public sealed partial class SchoolSyncJob(
    DistrictEventFeeds feeds,
    DistrictEventReader eventReader,
    SchoolDatabases schoolDatabases,
    SyncPlanner planner,
    EntitySelector entitySelector,
    SyncHistoryRecorder history,
    FullSync fullSync,
    EventSync eventSync,
    IOptions<SyncOptions> options,
    TimeProvider time,
    ILogger<SchoolSyncJob> logger)
{
    public async Task<SchoolSyncResult> RunAsync(SchoolSyncTarget target, SyncRequest request, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var school = target.School;
        var started = time.GetTimestamp();
        using var scope = logger.BeginScope(LogScope.ForSchool(target.District.CleverDistrictId, school.CleverSchoolId, school.SchoolId));
        using var activity = CleverSyncTelemetry.ActivitySource.StartActivity("SchoolSync");
        activity?.SetTag("cleversync.school", school.CleverSchoolId);
        activity?.SetTag("cleversync.district", target.District.CleverDistrictId);

        var selection = await entitySelector.SelectAsync(target.Credentials, cancellationToken);
        var entities = selection.Synced;
        var plan = await planner.PlanAsync(school, entities, request.ForceFull, cancellationToken);
        IReadOnlyList<EntitySyncOutcome> outcomes = [.. entities.Select(e => new EntitySyncOutcome(e.EntityType, plan.SyncType)), .. selection.SkippedOutcomes(plan.SyncType)];
        // A dry run leaves no trace in SyncHistory either.
        var rows = request.DryRun ? [] : await history.StartAsync(school.SchoolId, request.RunId, outcomes, cancellationToken);
        using var runScope = logger.BeginScope(LogScope.ForRun(rows.Select(r => r.SyncId)));
        LogStarting(logger, school.Name, plan.SyncType);
        progress?.Report(new SyncProgress(school.Name, $"{plan.SyncType} sync"));

        string? error = null;
        string? cursor = null;
        var deletionsDone = false;
        try
        {
            selection.ThrowIfTokenFailed();
            var syncIds = rows.ToDictionary(r => r.EntityType, r => r.SyncId, StringComparer.Ordinal);
            (outcomes, cursor) = await SyncAsync(target, request, plan, entities, syncIds, progress, cancellationToken);
            outcomes = [.. outcomes, .. selection.SkippedOutcomes(outcomes.Count > 0 ? outcomes[0].SyncType : plan.SyncType)];
            deletionsDone = outcomes.All(o => o.Warning is null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error = request.CancelledMessage ?? "Cancelled: the sync was stopped before it finished; nothing was changed.";
        }
        catch (Exception ex)
        {
            var freeSpace = DatabaseFailure(ex) is { } failure ? await schoolDatabases.FreeSpaceNoteAsync(school, failure, CancellationToken.None) : null;
            error = $"{Describe(ex)} Nothing was changed in the school's database." + (freeSpace is null ? "" : " " + freeSpace);
            // A failure the message explains in full (Clever's answer, the database's error) is logged without its stack
            // trace: the operator reads a reason, not a trace; anything unexpected keeps it.
            LogFailed(logger, IsExplained(ex) ? null : ex, school.Name, error);
            if (DatabaseFailure(ex) is not null)
            {
                // A pooled connection may carry the fault (SQLite opens a file it cannot write read-only, and keeps it so):
                // the next run opens afresh and so sees a repaired database.
                await schoolDatabases.ReleaseConnectionsAsync(school, CancellationToken.None);
            }
        }

        if (error is not null)
        {
            outcomes = outcomes.Select(o => new EntitySyncOutcome(o.EntityType, o.SyncType) { Error = error }).ToList();
        }

        // The history row is written even when the run was cancelled.
        if (!request.DryRun)
        {
            await history.CompleteAsync(rows, outcomes, cursor, plan.LastSyncTimestamps, CancellationToken.None);
        }

        if (error is null && !request.DryRun && (plan.Full || !deletionsDone))
        {
            // Cleared only once a full sync's deletion step ran. Any run the mass-deletion guard stopped asks for a
            // full sync, so the warning repeats every run until an operator decides.
            await history.SetRequiresFullSyncAsync(school.SchoolId, !deletionsDone, CancellationToken.None);
        }

        var duration = time.GetElapsedTime(started);
        var result = new SchoolSyncResult(school.SchoolId, school.CleverSchoolId, school.Name, target.District.CleverDistrictId, outcomes, duration, error);
        if (!request.DryRun)
        {
            // A dry run wrote nothing: its counts are predictions, not records written.
            Record(result, activity);
        }

        LogFinished(logger, school.Name, result.Status, duration.TotalSeconds);
        progress?.Report(new SyncProgress(school.Name, result.Status));
        return result;
    }

    private async Task<(IReadOnlyList<EntitySyncOutcome> Outcomes, string? Cursor)> SyncAsync(SchoolSyncTarget target, SyncRequest request, SyncPlan plan,
        IReadOnlyList<SyncEntity> entities, IReadOnlyDictionary<string, int> syncIds, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var sync = options.Value;
        // The district's events are read (once per run, shared) before the school's transaction opens.
        var events = await EventsAsync(target, request, plan, entities, cancellationToken);
        if (events.Pending is { Count: 0 })
        {
            // None of the district's new events concerns the school: nothing to write, so its database is not even
            // opened; the history rows move its cursor past them.
            return (entities.Select(e => new EntitySyncOutcome(e.EntityType, SyncType.Incremental)).ToList(), events.Cursor);
        }

        // Taken before a complete read, so a change made while the read runs is picked up by the next incremental sync.
        var cursor = events.Pending is null && events.Cursor is null && sync.UseEvents
            ? await feeds.LatestEventIdAsync(request.RunId, target, entities, eventReader, cancellationToken)
            : events.Cursor;

        // A complete read asks Clever for its first pages before the school's database is opened (a new connection, its
        // sign-in, the migration check), so the two overlap; the first batch is written once both are ready.
        var dialect = SqlDialect.For(schoolDatabases.Provider, sync.PostgreSqlCopyMinRows);
        var db = await schoolDatabases.ContextAsync(target.School, cancellationToken, create: !request.DryRun);
        FullRead? read = null;
        try
        {
            read = events.Pending is null ? fullSync.StartReading(target, entities, db.Model, dialect, cancellationToken) : null;
            await schoolDatabases.PrepareAsync(target.School, db, migrate: !request.DryRun, cancellationToken);
        }
        catch
        {
            await db.DisposeAsync();
            if (read is not null)
            {
                await read.DisposeAsync();
            }

            throw;
        }

        await using var reading = read;
        await using var transaction = await SchoolTransaction.OpenAsync(db, schoolDatabases.Provider, sync.BatchSize, time.GetUtcNow().UtcDateTime,
            cancellationToken, sync.PostgreSqlCopyMinRows);

        // The change log is written in the run's transaction (a rolled-back run logs nothing); a restart needs a new writer.
        ChangeLogWriter? changeLog = null;
        async Task<ApplyMode> ModeAsync()
        {
            if (changeLog is not null)
            {
                await changeLog.DisposeAsync();
            }

            changeLog = sync.ChangeLog && !request.DryRun
                ? new ChangeLogWriter(transaction.Connection, transaction.Transaction, transaction.Dialect, transaction.Model, syncIds, transaction.Now)
                : null;
            if (changeLog is not null)
            {
                await changeLog.PruneAsync(sync.ChangeLogRetentionDays, cancellationToken);
            }

            return new ApplyMode(request.AllowMassDelete, request.DryRun, changeLog);
        }

        try
        {
            if (events.Pending is { } pending)
            {
                var applied = await eventSync.ApplyAsync(transaction, target, entities, pending, await ModeAsync(), progress, cancellationToken);
                await CommitAsync(transaction, request, cancellationToken);
                return (applied, cursor);
            }

            var outcomes = await fullSync.RunAsync(transaction, read!, target, events.SyncType, await ModeAsync(), progress, cancellationToken);
            await CommitAsync(transaction, request, cancellationToken);
            return (outcomes, cursor);
        }
        finally
        {
            if (changeLog is not null)
            {
                await changeLog.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// For an incremental sync, the district's events after the school's cursor that may concern it (read once per
    /// district per run, indexed by school). A cursor Clever no longer keeps, or more events than are kept in memory,
    /// make it a full comparison instead.
    /// </summary>
    private async Task<SchoolEvents> EventsAsync(SchoolSyncTarget target, SyncRequest request, SyncPlan plan, IReadOnlyList<SyncEntity> entities,
        CancellationToken cancellationToken)
    {
        if (plan.SyncType != SyncType.Incremental || plan.EventCursor is not { } cursor)
        {
            return new SchoolEvents(plan.SyncType, null, null);
        }

        try
        {
            var stream = await feeds.StreamAsync(request.RunId, target, cursor, entities, eventReader, cancellationToken);
            if (stream.After(cursor, target.School.CleverSchoolId) is { } pending)
            {
                return new SchoolEvents(SyncType.Incremental, pending, stream.Last);
            }

            LogTooManyEvents(logger, target.School.Name, options.Value.MaxBufferedEvents);
            return new SchoolEvents(SyncType.Reconciliation, null, stream.Last);
        }
        catch (CleverApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Clever keeps events for 30 days; an older cursor means a full comparison is needed.
            LogCursorExpired(logger, target.School.Name, ex.Message);
            return new SchoolEvents(SyncType.Reconciliation, null, null);
        }
    }

    /// <summary>What a school's sync works from: the events to apply (incremental), or a full read of <paramref name="SyncType"/>, and the next cursor when known.</summary>
    private sealed record SchoolEvents(SyncType SyncType, IReadOnlyList<DistrictEvent>? Pending, string? Cursor);

    /// <summary>A dry run wrote nothing, and commits nothing: its transaction is rolled back when disposed.</summary>
    private static Task CommitAsync(SchoolTransaction transaction, SyncRequest request, CancellationToken cancellationToken) =>
        request.DryRun ? Task.CompletedTask : transaction.CommitAsync(cancellationToken);

    private static string Describe(Exception ex) => ex switch
    {
        Authentication.CleverAuthenticationException or CleverApiException or Credentials.SecretNotFoundException => ex.Message,
        HttpRequestException => $"Could not reach Clever: {ex.Message}",
        TimeoutException or TaskCanceledException => "A request to Clever timed out.",
        Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException => $"The school's database failed: {ex.GetBaseException().Message}",
        _ when DatabaseFailure(ex) is { } database => $"The school's database failed: {database.Message}" +
            (database.InnerException is { } cause && cause != database ? $" ({cause.Message})" : ""),
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    private static bool IsExplained(Exception ex) =>
        ex is Authentication.CleverAuthenticationException or CleverApiException or Credentials.SecretNotFoundException or HttpRequestException or TimeoutException
        || DatabaseFailure(ex) is not null;

    /// <summary>The database's own error inside a wrapper (EF Core's "transient failure" retry gives up with an InvalidOperationException).</summary>
    private static System.Data.Common.DbException? DatabaseFailure(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException database)
            {
                return database;
            }
        }

        return null;
    }

    private static void Record(SchoolSyncResult result, Activity? activity)
    {
        var school = new KeyValuePair<string, object?>("school", result.CleverSchoolId);
        var status = new KeyValuePair<string, object?>("status", result.Status);
        CleverSyncTelemetry.SchoolSyncDuration.Record(result.Duration.TotalSeconds, school, status);
        foreach (var e in result.Entities)
        {
            var entity = new KeyValuePair<string, object?>("entity", e.EntityType);
            CleverSyncTelemetry.RecordsProcessed.Add(e.Processed, school, entity);
            CleverSyncTelemetry.RecordsWritten.Add(e.Created, school, entity, new("change", "created"));
            CleverSyncTelemetry.RecordsWritten.Add(e.Updated, school, entity, new("change", "updated"));
            CleverSyncTelemetry.RecordsWritten.Add(e.Deleted, school, entity, new("change", "deleted"));
            CleverSyncTelemetry.RecordsWritten.Add(e.Failed, school, entity, new("change", "failed"));
        }

        activity?.SetTag("cleversync.status", result.Status);
        activity?.SetStatus(result.Status == SyncStatus.Failed ? ActivityStatusCode.Error : ActivityStatusCode.Ok);
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Starting {SyncType} sync of {SchoolName}")]
    private static partial void LogStarting(ILogger logger, string schoolName, SyncType syncType);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Finished the sync of {SchoolName}: {Status} in {Seconds:F1} s")]
    private static partial void LogFinished(ILogger logger, string schoolName, string status, double seconds);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "The sync of {SchoolName} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception? exception, string schoolName, string reason);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "The event cursor of {SchoolName} is no longer kept by Clever ({Detail}); comparing a full read instead")]
    private static partial void LogCursorExpired(ILogger logger, string schoolName, string detail);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "{SchoolName} has more new Clever events than are kept in memory ({Limit}); comparing a full read instead")]
    private static partial void LogTooManyEvents(ILogger logger, string schoolName, int limit);
}
