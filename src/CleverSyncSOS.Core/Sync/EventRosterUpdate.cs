using System.Text.Json;
using CleverSyncSOS.Clever;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync;

/// <summary>
/// Applies Clever's user events since the stored cursor: created/updated users are upserted where they
/// belong to the school (and removed where they no longer do), deleted users are removed, unknown event
/// types are ignored. Applying the same events twice gives the same result, as Clever requires.
/// </summary>
public sealed partial class EventRosterUpdate(CleverApiClient clever, IOptions<SyncOptions> options, ILogger<EventRosterUpdate> logger)
{
    /// <summary>Returns the id of the last event read (the next cursor).</summary>
    public async Task<string> ApplyAsync(SchoolSyncContext context, string cursor, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var batchSize = options.Value.BatchSize;
        foreach (var work in context.Entities)
        {
            work.CountBefore = await work.Writer.CountAsync(cancellationToken);
        }

        // Per entity, the final state of each user in this batch: a row to upsert, or null to delete.
        var pending = context.Entities.ToDictionary(w => w, _ => new Dictionary<string, object?[]?>(StringComparer.Ordinal));
        var last = cursor;
        var read = 0;
        await foreach (var change in clever.GetUserEventsAsync(context.Target.Credentials, cursor, context.CleverSchoolId, cancellationToken))
        {
            read++;
            last = change.Id ?? last;
            if (Parse(change) is not ({ } user, var kind))
            {
                continue;
            }

            foreach (var work in context.Entities)
            {
                pending[work][user.Id!] = kind != "deleted" && work.Entity.BelongsTo(user, context.CleverSchoolId) ? work.Entity.ToRow(user) : null;
                work.Outcome.ObserveLastModified(kind != "deleted" ? user.LastModified : null);
            }

            if (pending.Values.Sum(p => p.Count) >= batchSize)
            {
                await FlushAsync(pending, cancellationToken);
                progress?.Report(new SyncProgress(context.Target.School.Name, "Applying events", null, read));
            }
        }

        await FlushAsync(pending, cancellationToken);
        foreach (var work in context.Entities)
        {
            work.SetCreatedAndUpdated(await work.Writer.CountAsync(cancellationToken));
        }

        LogEventsApplied(logger, read, context.CleverSchoolId);
        return last;
    }

    private (CleverUser? User, string Kind) Parse(CleverEvent change)
    {
        if (change.Type is not { } type || !type.StartsWith("users.", StringComparison.Ordinal))
        {
            return (null, "");
        }

        var kind = type["users.".Length..];
        if (kind is not ("created" or "updated" or "deleted") || change.Data?.Object.ValueKind != JsonValueKind.Object)
        {
            LogIgnoredEvent(logger, change.Id ?? "(no id)", type);
            return (null, kind);
        }

        var user = change.Data.Object.Deserialize(CleverJsonContext.Default.CleverUser);
        return user?.Id is { Length: > 0 } id && RecordValidator.IsStorableKey(id) ? (user, kind) : (null, kind);
    }

    private async Task FlushAsync(Dictionary<SchoolSyncContext.EntityWork, Dictionary<string, object?[]?>> pending, CancellationToken cancellationToken)
    {
        foreach (var (work, changes) in pending)
        {
            var upserts = new List<object?[]>();
            var deletes = new List<string>();
            foreach (var (id, row) in changes)
            {
                if (row is null)
                {
                    deletes.Add(id);
                }
                else if (work.Validator.Validate(row) is { } problem)
                {
                    work.Outcome.Failed++;
                    SyncLog.InvalidRecord(logger, work.Entity.EntityType, id, problem);
                }
                else
                {
                    upserts.Add(row);
                    work.Outcome.Processed++;
                }
            }

            work.Upserted += await work.Writer.UpsertAsync(upserts, cancellationToken);
            var deleted = await work.Writer.DeleteAsync(deletes, cancellationToken);
            work.Outcome.Deleted += deleted;
            work.Outcome.Processed += deleted;
            changes.Clear();
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Applied {Count} Clever events to school {CleverSchoolId}")]
    private static partial void LogEventsApplied(ILogger logger, int count, string cleverSchoolId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Ignored Clever event {EventId} of type {EventType}")]
    private static partial void LogIgnoredEvent(ILogger logger, string eventId, string eventType);
}
