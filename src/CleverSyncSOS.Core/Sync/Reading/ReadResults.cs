using CleverSyncSOS.Sync.Entities;

namespace CleverSyncSOS.Sync.Reading;

/// <summary>Rows of one table from a stretch of Clever pages: the valid rows to write and every key Clever has (valid or not).</summary>
public sealed record TableRows(SyncEntity Entity, IReadOnlyList<object?[]> Rows, IReadOnlyList<string> Seen);

/// <summary>What the reader hands the writer: a batch of rows per table, and how many records were read so far.</summary>
public sealed record ReadBatch(IReadOnlyList<TableRows> Tables, int ReadSoFar);

/// <summary>What a complete read of one entity found: rows accepted, records or rows refused, the newest change seen.</summary>
public sealed record EntityReadTally(int Processed, int Failed, DateTime? MaxLastModified, IReadOnlyList<FailedRecord> Failures);

/// <summary>
/// A complete read of one source: the tally per entity, the ids of the records read (a parent's groups), and how many
/// records could not be read at all (their children's rows cannot be known, so none are deleted).
/// <paramref name="Unidentified"/> counts records without a usable id: which row each stands for is unknown, so none of
/// the source's own rows are deleted either.
/// </summary>
public sealed record SourceReadResult(int Read, IReadOnlyDictionary<SyncEntity, EntityReadTally> Entities, IReadOnlySet<string> RecordIds, int Malformed,
    int Unidentified);
