using System.Threading.Channels;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;
using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Sync.Reading;

/// <summary>
/// Reads every page of one Clever source for one school and turns its records into validated rows for each
/// entity fed by it. Every record is checked against what was asked (district, school, role): one that does not
/// match (a teacher in the student pages because a <c>next</c> link dropped <c>role</c>) is skipped and counted as
/// failed, never written. Either way, a record Clever lists is "seen", so it is never deleted because of its form.
/// </summary>
public sealed class SourceReader(CleverApiClient clever, ILogger<SourceReader> logger)
{
    public async Task<SourceReadResult> ReadAsync(CleverSource source, IReadOnlyList<(SyncEntity Entity, RosterTableMap Map)> tables, ReadScope scope,
        DistrictCredentials district, int batchSize, ChannelWriter<ReadBatch> batches, bool collectIds, CancellationToken cancellationToken)
    {
        var validators = tables.Select(t => new RecordValidator(t.Map)).ToArray();
        var tallies = tables.Select(_ => new Tally()).ToArray();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var rows = NewLists<object?[]>(tables.Count, batchSize);
        var seen = NewLists<string>(tables.Count, batchSize);
        var read = 0;
        var malformed = 0;
        var unidentified = 0;
        try
        {
            await foreach (var record in source.ReadAsync(clever, district, scope.CleverSchoolId, cancellationToken))
            {
                read++;
                if (record is ICleverRecord { IsMalformed: true } unreadable)
                {
                    // Clever has it but it could not be read: counted as failed, its row kept as it was (seen, so never
                    // deleted), and what hangs off it (a section's enrollments) is not deleted in this run either.
                    malformed++;
                    tallies[0].Fail(unreadable.Id ?? "(no id)", "the record is not in the shape Clever documents");
                    SyncLog.InvalidRecord(logger, tables[0].Entity.EntityType, unreadable.Id ?? "(no id)", "the record is not in the shape Clever documents");
                    if (unreadable.Id is { Length: > 0 } unreadableId && RecordValidator.IsStorableKey(unreadableId))
                    {
                        seen[0].Add(unreadableId);
                    }
                    else
                    {
                        unidentified++;
                    }

                    continue;
                }

                if (source.Mismatch(record, scope) is { } mismatch)
                {
                    // Counted against the record's own table (the first the source feeds), logged, never written. Its keys
                    // still count as seen: a record Clever lists here, however odd, is never the reason for a deletion.
                    tallies[0].Fail(source.IdOf(record) ?? "(no id)", mismatch);
                    SyncLog.RecordOutOfScope(logger, source.Name, source.IdOf(record) ?? "(no id)", mismatch);
                    for (var t = 0; t < tables.Count; t++)
                    {
                        seen[t].AddRange(tables[t].Entity.RowsOf(record).Select(r => r[0]).OfType<string>().Where(k => k.Length > 0 && RecordValidator.IsStorableKey(k)));
                    }

                    continue;
                }

                if (collectIds && source.IdOf(record) is { Length: > 0 } recordId)
                {
                    ids.Add(recordId);
                }

                for (var t = 0; t < tables.Count; t++)
                {
                    foreach (var row in tables[t].Entity.RowsOf(record))
                    {
                        if (row[0] is string { Length: > 0 } key && RecordValidator.IsStorableKey(key))
                        {
                            seen[t].Add(key);
                        }
                        else if (t == 0)
                        {
                            unidentified++;
                        }

                        if (validators[t].Validate(row) is { } problem)
                        {
                            tallies[t].Fail(row[0] as string ?? source.IdOf(record) ?? "(no id)", problem);
                            SyncLog.InvalidRecord(logger, tables[t].Entity.EntityType, row[0] as string ?? source.IdOf(record) ?? "(no id)", problem);
                        }
                        else
                        {
                            rows[t].Add(row);
                            tallies[t].Processed++;
                            tallies[t].Observe(source.LastModifiedOf(record));
                        }
                    }
                }

                if (Full(rows, batchSize) || Full(seen, batchSize))
                {
                    await batches.WriteAsync(Batch(tables, rows, seen, read), cancellationToken);
                    rows = NewLists<object?[]>(tables.Count, batchSize);
                    seen = NewLists<string>(tables.Count, batchSize);
                }
            }

            await batches.WriteAsync(Batch(tables, rows, seen, read), cancellationToken);
            batches.Complete();
            return new SourceReadResult(read,
                tables.Select((t, i) => (t.Entity, Tally: new EntityReadTally(tallies[i].Processed, tallies[i].Failed, tallies[i].MaxLastModified, tallies[i].Failures)))
                    .ToDictionary(x => x.Entity, x => x.Tally),
                ids, malformed, unidentified);
        }
        catch (Exception ex)
        {
            batches.Complete(ex);
            throw;
        }
    }

    private static ReadBatch Batch(IReadOnlyList<(SyncEntity Entity, RosterTableMap Map)> tables, List<object?[]>[] rows, List<string>[] seen, int read) =>
        new(tables.Select((t, i) => new TableRows(t.Entity, rows[i], seen[i])).ToList(), read);

    // Once per record: a loop, not LINQ (no delegate or enumerator per call).
    private static bool Full<T>(List<T>[] lists, int batchSize)
    {
        foreach (var list in lists)
        {
            if (list.Count >= batchSize)
            {
                return true;
            }
        }

        return false;
    }

    private static List<T>[] NewLists<T>(int count, int capacity) => Enumerable.Range(0, count).Select(_ => new List<T>(capacity)).ToArray();

    private sealed class Tally
    {
        public int Processed;
        public int Failed;
        public DateTime? MaxLastModified;
        public readonly List<FailedRecord> Failures = [];

        public void Fail(string cleverId, string reason)
        {
            Failed++;
            FailedRecord.Keep(Failures, cleverId, reason);
        }

        public void Observe(DateTime? value)
        {
            if (value is { } v && (MaxLastModified is null || v > MaxLastModified))
            {
                MaxLastModified = v;
            }
        }
    }
}
