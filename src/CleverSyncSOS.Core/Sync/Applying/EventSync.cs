using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync.Applying;

/// <summary>
/// Applies the district's events that a school has not applied yet, for every record type the entities read. An event
/// concerns the school when its record names the school (upserted), or when the school holds the record (removed when
/// it no longer belongs: a student who moved away is named under the new school only, and the old school removes them
/// here); a course or term, which names no school, concerns a school that holds it or whose sections in these events name
/// it. A record that owns groups (a section and its enrollments) has its group diffed: enrollments that are gone are
/// deleted, new ones inserted, the others left alone. Applying the same events twice gives the same result.
/// </summary>
public sealed partial class EventSync(IOptions<SyncOptions> options, ILogger<EventSync> logger)
{
    public async Task<IReadOnlyList<EntitySyncOutcome>> ApplyAsync(SchoolTransaction transaction, SchoolSyncTarget target, IReadOnlyList<SyncEntity> entities,
        IReadOnlyList<DistrictEvent> events, ApplyMode mode, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
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
            var named = NamedBySchool(events, byRecordType, scope);

            // Per table, the final state of each record in this batch.
            var pending = tables.ToDictionary(t => t, _ => new Dictionary<string, Pending>(StringComparer.Ordinal));
            var read = 0;
            var applied = 0;
            foreach (var change in events)
            {
                read++;
                if (change.Record is not { } record || change.RecordType is not { } recordType || !byRecordType.TryGetValue(recordType, out var affected))
                {
                    LogIgnoredEvent(logger, change.Id ?? "(no id)", change.RecordType ?? "(no type)");
                    continue;
                }

                applied++;
                foreach (var table in affected)
                {
                    var source = table.Entity.Source;
                    if (source.IdOf(record) is not { Length: > 0 } id || !RecordValidator.IsStorableKey(id))
                    {
                        continue;
                    }

                    var state = Decide(change, record, id, source, scope, named);
                    pending[table][id] = state is null ? Pending.Absent : new Pending(table.Entity.RowsOf(record), state.Value, source.LastModifiedOf(record));
                }

                if (pending.Values.Sum(p => p.Count) >= options.Value.BatchSize)
                {
                    await FlushAsync(pending, cancellationToken);
                    progress?.Report(new SyncProgress(target.School.Name, "Applying events", null, read));
                }
            }

            await FlushAsync(pending, cancellationToken);
            LogEventsApplied(logger, applied, read, scope.CleverSchoolId);
            var outcomes = new List<EntitySyncOutcome>(tables.Count);
            foreach (var table in tables)
            {
                outcomes.Add(await table.OutcomeAsync(SyncType.Incremental, cancellationToken));
            }

            return outcomes;
        }
        finally
        {
            foreach (var table in tables)
            {
                await table.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Whether the record's current state belongs in the school: null = it must not be there (deleted, another school or
    /// district, another role); <see cref="Belongs.Always"/>; or <see cref="Belongs.IfHeld"/> for a course or term no
    /// section of the school names in these events (updated where the school has it, never added).
    /// </summary>
    private static Belongs? Decide(DistrictEvent change, object record, string id, CleverSource source, ReadScope scope, HashSet<(string, string)> named) =>
        change.IsDeletion || source.Mismatch(record, scope) is not null ? null
        : source.NamesItsSchool || named.Contains((source.EventRecordType, id)) ? Belongs.Always
        : Belongs.IfHeld;

    /// <summary>The courses and terms the school's own records in these events name.</summary>
    private static HashSet<(string, string)> NamedBySchool(IReadOnlyList<DistrictEvent> events, Dictionary<string, List<EntityTable>> byRecordType, ReadScope scope)
    {
        var named = new HashSet<(string, string)>();
        foreach (var change in events)
        {
            if (change is { IsDeletion: false, Record: { } record, RecordType: { } type } && byRecordType.TryGetValue(type, out var tables)
                && tables[0].Entity.Source is { NamesItsSchool: true } source && source.Mismatch(record, scope) is null)
            {
                named.UnionWith(source.LinksOf(record));
            }
        }

        return named;
    }

    private async Task FlushAsync(Dictionary<EntityTable, Dictionary<string, Pending>> pending, CancellationToken cancellationToken)
    {
        // Looked up before anything is written: a group's parent (a section) may be removed by this very flush.
        var held = new Dictionary<EntityTable, HashSet<string>>();
        foreach (var (table, changes) in pending)
        {
            var holder = table.Entity.Parent is { } parent ? pending.Keys.FirstOrDefault(t => t.Entity == parent) ?? table : table;
            // Most events of a district are about other schools' records: what is not held is neither removed nor updated here.
            var ask = changes.Where(c => c.Value.State == Belongs.IfHeld || c.Value.Rows is null).Select(c => c.Key).ToList();
            held[table] = ask.Count == 0 ? [] : await holder.HeldAsync(ask, cancellationToken);
        }

        foreach (var (table, changes) in pending)
        {
            var grouped = table.Map.GroupColumn is not null;
            var upserts = new List<object?[]>();
            var deletes = new List<string>();
            foreach (var (id, change) in changes)
            {
                var write = change.Rows is not null && (change.State == Belongs.Always || held[table].Contains(id));
                if (grouped && (write || (change.Rows is null && held[table].Contains(id))))
                {
                    // The group's rows that are no longer there (a student who left the section); the rest are upserted.
                    await table.DeleteGroupExceptAsync(id, write ? change.Rows!.Select(r => r[0] as string ?? "").ToList() : [], cancellationToken);
                }
                else if (!grouped && change.Rows is null && held[table].Contains(id))
                {
                    deletes.Add(id);
                }

                if (write)
                {
                    table.CountRead(0, 0, change.LastModified);
                    upserts.AddRange(Valid(table, id, change.Rows!));
                }
            }

            await table.UpsertAsync(upserts, cancellationToken);
            await table.DeleteAsync(deletes, cancellationToken);
            changes.Clear();
        }
    }

    private List<object?[]> Valid(EntityTable table, string id, IReadOnlyList<object?[]> rows)
    {
        var valid = new List<object?[]>(rows.Count);
        foreach (var row in rows)
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

        table.CountRead(valid.Count, 0, null);
        return valid;
    }

    private enum Belongs
    {
        Always,
        IfHeld,
    }

    /// <summary>A record's final state in a batch: its rows to upsert (and when), or null to remove it where it is.</summary>
    private sealed record Pending(IReadOnlyList<object?[]>? Rows, Belongs State, DateTime? LastModified)
    {
        public static readonly Pending Absent = new(null, Belongs.Always, null);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Examined the {Read} new Clever events of the district that may concern school {CleverSchoolId} ({Count} of synced record types)")]
    private static partial void LogEventsApplied(ILogger logger, int count, int read, string cleverSchoolId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Ignored Clever event {EventId} of record type {RecordType}")]
    private static partial void LogIgnoredEvent(ILogger logger, string eventId, string recordType);
}
