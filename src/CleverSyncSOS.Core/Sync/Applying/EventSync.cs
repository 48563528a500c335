using CleverSyncSOS.Clever;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync.Applying;

/// <summary>
/// Applies Clever's events since the stored cursor, for every record type the entities read: a created or updated
/// record is upserted where it belongs to the school (and removed where it no longer does), a deleted record is
/// removed; a record that owns groups (a section and its enrollments) has its group diffed: enrollments that are
/// gone are deleted, new ones inserted, the others left alone. Applying the same events twice gives the same result.
/// </summary>
public sealed partial class EventSync(CleverApiClient clever, IOptions<SyncOptions> options, ILogger<EventSync> logger)
{
    /// <summary>The entities' outcomes and the id of the last event read (the next cursor).</summary>
    public async Task<(IReadOnlyList<EntitySyncOutcome> Outcomes, string Cursor)> RunAsync(SchoolTransaction transaction, SchoolSyncTarget target,
        IReadOnlyList<SyncEntity> entities, string cursor, ApplyMode mode, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var tables = new List<EntityTable>(entities.Count);
        try
        {
            foreach (var entity in entities)
            {
                tables.Add(await EntityTable.OpenAsync(entity, transaction, mode, cancellationToken));
            }

            var scope = new ReadScope(target.District.CleverDistrictId, target.School.CleverSchoolId);
            var byRecordType = tables.GroupBy(t => t.Entity.Source.EventRecordType, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

            // Per table, the final state of each record in this batch: its rows to upsert, or null to delete.
            var pending = tables.ToDictionary(t => t, _ => new Dictionary<string, IReadOnlyList<object?[]>?>(StringComparer.Ordinal));
            var last = cursor;
            var read = 0;
            await foreach (var change in clever.GetSchoolEventsAsync(target.Credentials, cursor, scope.CleverSchoolId, byRecordType.Keys, cancellationToken))
            {
                read++;
                last = change.Id ?? last;
                if (Parse(change) is not ({ } recordType, { } kind) || !byRecordType.TryGetValue(recordType, out var affected) || change.Data is null)
                {
                    LogIgnoredEvent(logger, change.Id ?? "(no id)", change.Type ?? "(no type)");
                    continue;
                }

                foreach (var table in affected)
                {
                    var source = table.Entity.Source;
                    if (source.ParseEvent(change.Data.Object) is not { } record || source.IdOf(record) is not { Length: > 0 } id || !RecordValidator.IsStorableKey(id))
                    {
                        continue;
                    }

                    var keep = kind != "deleted" && source.Mismatch(record, scope) is null;
                    pending[table][id] = keep ? table.Entity.RowsOf(record) : null;
                    if (keep)
                    {
                        table.CountRead(0, 0, source.LastModifiedOf(record));
                    }
                }

                if (pending.Values.Sum(p => p.Count) >= options.Value.BatchSize)
                {
                    await FlushAsync(pending, cancellationToken);
                    progress?.Report(new SyncProgress(target.School.Name, "Applying events", null, read));
                }
            }

            await FlushAsync(pending, cancellationToken);
            LogEventsApplied(logger, read, scope.CleverSchoolId);
            var outcomes = new List<EntitySyncOutcome>(tables.Count);
            foreach (var table in tables)
            {
                outcomes.Add(await table.OutcomeAsync(SyncType.Incremental, cancellationToken));
            }

            return (outcomes, last);
        }
        finally
        {
            foreach (var table in tables)
            {
                await table.DisposeAsync();
            }
        }
    }

    private static (string? RecordType, string? Kind) Parse(CleverEvent change)
    {
        var dot = change.Type?.LastIndexOf('.') ?? -1;
        if (dot <= 0)
        {
            return (null, null);
        }

        var kind = change.Type![(dot + 1)..];
        return kind is "created" or "updated" or "deleted" ? (change.Type[..dot], kind) : (null, null);
    }

    private async Task FlushAsync(Dictionary<EntityTable, Dictionary<string, IReadOnlyList<object?[]>?>> pending, CancellationToken cancellationToken)
    {
        foreach (var (table, changes) in pending)
        {
            var grouped = table.Map.GroupColumn is not null;
            var upserts = new List<object?[]>();
            var deletes = new List<string>();
            foreach (var (id, rows) in changes)
            {
                var valid = new List<object?[]>();
                foreach (var row in rows ?? [])
                {
                    if (table.Validator.Validate(row) is { } problem)
                    {
                        table.CountRead(0, 1, null);
                        table.KeepFailures([new FailedRecord(row[0] as string ?? id, problem)]);
                        SyncLog.InvalidRecord(logger, table.Entity.EntityType, row[0] as string ?? id, problem);
                    }
                    else
                    {
                        valid.Add(row);
                    }
                }

                if (grouped)
                {
                    // The group's rows that are no longer there (a student who left the section); the rest are upserted.
                    await table.DeleteGroupExceptAsync(id, (rows ?? []).Select(r => r[0] as string ?? "").ToList(), cancellationToken);
                }
                else if (rows is null)
                {
                    deletes.Add(id);
                }

                upserts.AddRange(valid);
                table.CountRead(valid.Count, 0, null);
            }

            await table.UpsertAsync(upserts, cancellationToken);
            await table.DeleteAsync(deletes, cancellationToken);
            changes.Clear();
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Applied {Count} Clever events to school {CleverSchoolId}")]
    private static partial void LogEventsApplied(ILogger logger, int count, string cleverSchoolId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Ignored Clever event {EventId} of type {EventType}")]
    private static partial void LogIgnoredEvent(ILogger logger, string eventId, string eventType);
}
