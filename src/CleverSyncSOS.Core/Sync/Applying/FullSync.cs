using System.Threading.Channels;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Reading;
using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync.Applying;

/// <summary>
/// Applies a complete read of a school (Full or Reconciliation) with the seed's full-sync rule: records Clever
/// has are upserted (and so reactivated; unchanged rows are not written), then, only once every source was read
/// to its last page, records Clever no longer has are deactivated and deleted, unless the mass-deletion guard
/// holds them. Everything happens in the run's one transaction, so a read that fails on any page changes nothing.
/// </summary>
public sealed partial class FullSync(SourceReader reader, IOptions<SyncOptions> options, IOptions<CleverApiOptions> apiOptions, ILogger<FullSync> logger)
{
    /// <summary>
    /// Starts reading every source of <paramref name="entities"/> for a complete read of the school; nothing is written
    /// until <see cref="RunAsync"/>. Readers turn pages into validated batches (checked against <paramref name="model"/>'s
    /// columns, in batches sized for <paramref name="dialect"/>) with up to two pages of records waiting, so the run goes at
    /// the pace of the slower of reading and writing, in bounded memory. Up to <see cref="SyncOptions.SourcesReadAtOnce"/>
    /// sources are read at once (a source's pages can only follow one another, each page's cursor being the last id of the
    /// one before, so a second source is the only way to have two pages coming); each further source starts when the one
    /// that many places before it has read its last page.
    /// </summary>
    public FullRead StartReading(SchoolSyncTarget target, IReadOnlyList<SyncEntity> entities, IModel model, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var batchSize = dialect.FullReadBatchSize(options.Value.BatchSize);
        var pending = 2 * (int)Math.Ceiling((double)apiOptions.Value.PageSize / batchSize) + 1;
        var atOnce = options.Value.SourcesReadAtOnce;
        var scope = new ReadScope(target.District.CleverDistrictId, target.School.CleverSchoolId);
        var parents = entities.Where(e => e.Parent is not null).Select(e => e.Parent!.Source).ToHashSet();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reads = new List<SourceRead>();
        foreach (var source in entities.GroupBy(e => e.Source))
        {
            var turn = reads.Count >= atOnce ? reads[^atOnce].Reading : Task.CompletedTask;
            var tables = source.Select(e => (e, e.Map(model))).ToList();
            var batches = Channel.CreateBounded<ReadBatch>(new BoundedChannelOptions(pending) { SingleReader = true, SingleWriter = true });
            var reading = ReadAfterAsync(turn, source.Key, tables, scope, target, parents.Contains(source.Key), batchSize, batches.Writer, stop.Token);
            reads.Add(new SourceRead(source.Key, [.. source], batches.Reader, reading));
        }

        return new FullRead(entities, reads, stop);
    }

    /// <summary>Reads one source into its channel once <paramref name="turn"/> (a source read before it) has read its last page.</summary>
    private Task<SourceReadResult> ReadAfterAsync(Task turn, CleverSource source, IReadOnlyList<(SyncEntity Entity, RosterTableMap Map)> tables, ReadScope scope,
        SchoolSyncTarget target, bool collectIds, int batchSize, ChannelWriter<ReadBatch> batches, CancellationToken stopReading) =>
        Task.Run(async () =>
        {
            try
            {
                await turn;
            }
            catch (Exception ex)
            {
                // The source before failed or was stopped: this one is never read, and nobody waits on its channel in vain.
                batches.TryComplete(ex);
                throw;
            }

            return await reader.ReadAsync(source, tables, scope, target.Credentials, batchSize, batches, collectIds, stopReading);
        }, CancellationToken.None);

    /// <summary>
    /// Writes what <paramref name="read"/> reads into the school's tables and, only once every source was read to its last
    /// page, removes what Clever no longer has (unless the mass-deletion guard holds it).
    /// </summary>
    public async Task<IReadOnlyList<EntitySyncOutcome>> RunAsync(SchoolTransaction transaction, FullRead read, SchoolSyncTarget target,
        SyncType syncType, ApplyMode mode, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var tables = new List<EntityTable>(read.Entities.Count);
        try
        {
            foreach (var entity in read.Entities)
            {
                tables.Add(await EntityTable.OpenAsync(entity, transaction, mode, cancellationToken));
            }

            var readIds = new Dictionary<CleverSource, IReadOnlySet<string>>();
            var unreadable = new HashSet<CleverSource>();
            foreach (var (source, sourceTables, result) in await WriteSourcesAsync(read, tables, target, progress, cancellationToken))
            {
                readIds[source] = result.RecordIds;
                if (result.Malformed > 0)
                {
                    unreadable.Add(source);
                }

                // A record without a usable id may be any of the rows not seen: none of them is deleted this run.
                if (result.Unidentified > 0)
                {
                    foreach (var table in sourceTables)
                    {
                        table.Hold($"{result.Unidentified} {table.Entity.Plural} came without a usable id, so no {table.Entity.Plural} were deleted this run.");
                    }
                }
            }

            // A record that could not be read hides what hangs off it: its children are kept, not deleted, this run.
            foreach (var table in tables.Where(t => t.Entity.Parent is not null && unreadable.Contains(t.Entity.Source)))
            {
                table.Hold($"Some {table.Entity.Parent!.Plural} could not be read, so no {table.Entity.Plural} were deleted this run.");
            }

            // Deletions come after every source's read succeeded: a failing teacher read must not follow deleted students.
            foreach (var table in tables)
            {
                await RemoveMissingAsync(table, tables, readIds, target.School.CleverSchoolId, mode.AllowMassDelete, cancellationToken);
            }

            var outcomes = new List<EntitySyncOutcome>(tables.Count);
            foreach (var table in tables)
            {
                outcomes.Add(await table.OutcomeAsync(syncType, cancellationToken));
            }

            return outcomes;
        }
        catch
        {
            // A read or a write failed: stop every reader too, then let the first exception through.
            await read.StopAsync();
            throw;
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
    /// Writes the batches of every source as they come, one at a time (one connection) and taking the sources in turn,
    /// then counts what each source's read found once its last batch is written. A failed read's exception comes
    /// through here, before anything could be deleted.
    /// </summary>
    private static async Task<IReadOnlyList<(CleverSource Source, IReadOnlyList<EntityTable> Tables, SourceReadResult Result)>> WriteSourcesAsync(
        FullRead read, IReadOnlyList<EntityTable> tables, SchoolSyncTarget target, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        foreach (var table in tables.Where(t => t.CountBefore > 0))
        {
            // Keys are only remembered when something could be missing: a table empty at the start (a school's
            // first sync, inside this transaction) has nothing to delete.
            await table.Writer.BeginSeenAsync(cancellationToken);
        }

        var sources = read.Sources;
        // Each source's tables in the order of its batches' tables.
        var sourceTables = sources.Select(s => s.Entities.Select(e => tables.Single(t => t.Entity == e)).ToList()).ToList();
        var results = new SourceReadResult?[sources.Count];
        var waits = new Task?[sources.Count];
        var open = sources.Count;
        while (open > 0)
        {
            for (var i = 0; i < sources.Count; i++)
            {
                if (results[i] is not null)
                {
                    continue;
                }

                if (sources[i].Batches.TryRead(out var batch))
                {
                    await WriteBatchAsync(sourceTables[i], batch, target, progress, cancellationToken);
                }
                else if (sources[i].Batches.Completion.IsCompleted)
                {
                    results[i] = await CountReadAsync(sources[i], sourceTables[i], target, progress);
                    open--;
                }
            }

            for (var i = 0; i < sources.Count; i++)
            {
                if (results[i] is null && waits[i] is not { IsCompleted: false })
                {
                    waits[i] = WaitForBatchAsync(sources[i].Batches, cancellationToken);
                }
            }

            if (open > 0)
            {
                await Task.WhenAny(waits.Where((_, i) => results[i] is null)!);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return sources.Select((s, i) => (s.Key, (IReadOnlyList<EntityTable>)sourceTables[i], results[i]!)).ToList();
    }

    /// <summary>Completes when the channel has a batch or is done; how it ended (a failed read) is read from the read itself.</summary>
    private static async Task WaitForBatchAsync(ChannelReader<ReadBatch> batches, CancellationToken cancellationToken)
    {
        try
        {
            await batches.WaitToReadAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The read's exception, which CountReadAsync rethrows from the read's task.
        }
    }

    private static async Task WriteBatchAsync(IReadOnlyList<EntityTable> tables, ReadBatch batch, SchoolSyncTarget target, IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        for (var i = 0; i < tables.Count; i++)
        {
            await tables[i].UpsertAsync(batch.Tables[i].Rows, cancellationToken);
            if (tables[i].CountBefore > 0)
            {
                await tables[i].Writer.MarkSeenAsync(batch.Tables[i].Seen, cancellationToken);
            }
        }

        progress?.Report(new SyncProgress(target.School.Name, "Reading", tables[0].Entity.EntityType, batch.ReadSoFar));
    }

    /// <summary>Counts what a source's finished read found; rethrows a failed read, so nothing is deleted after a partial one.</summary>
    private static async Task<SourceReadResult> CountReadAsync(SourceRead read, IReadOnlyList<EntityTable> tables, SchoolSyncTarget target,
        IProgress<SyncProgress>? progress)
    {
        var result = await read.Reading;
        foreach (var table in tables)
        {
            var tally = result.Entities[table.Entity];
            table.CountRead(tally.Processed, tally.Failed, tally.MaxLastModified);
            table.KeepFailures(tally.Failures);
        }

        progress?.Report(new SyncProgress(target.School.Name, "Read", tables[0].Entity.EntityType, result.Read));
        return result;
    }

    private async Task RemoveMissingAsync(EntityTable table, IReadOnlyList<EntityTable> tables, IReadOnlyDictionary<CleverSource, IReadOnlySet<string>> readIds,
        string cleverSchoolId, bool allowMassDelete, CancellationToken cancellationToken)
    {
        if (table.Held)
        {
            return;
        }

        var missing = table.CountBefore == 0 ? 0 : await table.Writer.CountMissingAsync(cancellationToken);
        if (missing == 0)
        {
            return;
        }

        var warning = allowMassDelete ? null : await GuardAsync(table, tables, readIds, missing, cleverSchoolId, cancellationToken);
        if (warning is not null)
        {
            table.Hold(warning);
            LogMassDeletionHeld(logger, table.Entity.EntityType, missing, table.CountBefore);
            return;
        }

        await table.DeleteMissingAsync(cancellationToken);
    }

    private async Task<string?> GuardAsync(EntityTable table, IReadOnlyList<EntityTable> tables, IReadOnlyDictionary<CleverSource, IReadOnlySet<string>> readIds,
        long missing, string cleverSchoolId, CancellationToken cancellationToken)
    {
        var sync = options.Value;
        var rerun = $"If Clever's roster is right, run: cleversync sync --school {cleverSchoolId} --full --allow-mass-delete";
        if (table.Entity.Parent is { } parent && tables.FirstOrDefault(t => t.Entity == parent) is { Held: true })
        {
            return $"Mass-deletion guard: the deletions of {parent.Plural} were held, so their {table.Entity.Plural} were not deleted either. {rerun}";
        }

        if (table.Entity.Deletion == DeletionRule.WholeTable)
        {
            if (MassDeletionGuard.Empties(missing, table.CountBefore) && !MassDeletionGuard.Holds(missing, table.CountBefore, sync))
            {
                return $"Mass-deletion guard: this sync would delete all {table.CountBefore} {table.Entity.Plural}, leaving none, so nothing was deleted. {rerun}";
            }

            return MassDeletionGuard.Holds(missing, table.CountBefore, sync)
                ? $"Mass-deletion guard: this sync would delete {missing} of {table.CountBefore} {table.Entity.Plural} " +
                  $"({MassDeletionGuard.Share(missing, table.CountBefore):F0} %), more than the {sync.MassDeletionThresholdPercent} % allowed, so nothing was deleted. {rerun}"
                : null;
        }

        // Per group: only groups whose parent Clever still has count; a section deleted in Clever takes its enrollments with it.
        var parentIds = table.Entity.Parent is { } p && readIds.TryGetValue(p.Source, out var ids) ? ids : null;
        var shrunk = (await table.Writer.CountMissingByGroupAsync(cancellationToken))
            .Where(g => (parentIds is null || parentIds.Contains(g.Group)) && MassDeletionGuard.Holds(g.Missing, g.Total, sync))
            .OrderByDescending(g => g.Missing).ToList();
        return shrunk.Count == 0 ? null
            : $"Mass-deletion guard: this sync would remove {shrunk[0].Missing} of {shrunk[0].Total} {table.Entity.Plural} of {shrunk[0].Group} " +
              $"({MassDeletionGuard.Share(shrunk[0].Missing, shrunk[0].Total):F0} %)" + (shrunk.Count > 1 ? $" and shrink {shrunk.Count - 1} more the same way" : "") +
              $", more than the {sync.MassDeletionThresholdPercent} % allowed, so nothing was deleted. {rerun}";
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Mass-deletion guard held back the deletion of {Missing} of {Total} {EntityType} records")]
    private static partial void LogMassDeletionHeld(ILogger logger, string entityType, long missing, long total);
}
