using System.Threading.Channels;
using CleverSyncSOS.Clever;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync;

/// <summary>
/// Reads a school's whole roster from Clever and applies the seed's full-sync rule: records Clever has are
/// upserted (and so reactivated), then, only once the whole read has succeeded, records Clever no longer has
/// are deactivated and deleted, unless that would be a mass deletion. Everything happens in the run's one
/// transaction, so a read that fails on any page leaves the school's database exactly as it was.
/// </summary>
public sealed partial class FullRosterRead(CleverApiClient clever, IOptions<SyncOptions> options, IOptions<CleverApiOptions> apiOptions, ILogger<FullRosterRead> logger)
{
    public async Task ReadAsync(SchoolSyncContext context, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        foreach (var work in context.Entities)
        {
            await ReadEntityAsync(context, work, progress, cancellationToken);
        }

        // Deletions come after every entity's read succeeded: a failing teacher read must not follow deleted students.
        foreach (var work in context.Entities)
        {
            await RemoveMissingAsync(context, work, cancellationToken);
        }
    }

    /// <summary>
    /// Reads one entity's roster. Reading Clever and writing the database overlap: one task turns pages into
    /// validated batches, this one writes them, with up to two pages of records between the two, so the sync runs
    /// at the pace of the slower side rather than the sum of both, in bounded memory. (Less than a page would make
    /// the reader wait for the writer before it can ask for the next page, and the two would take turns.)
    /// </summary>
    private async Task ReadEntityAsync(SchoolSyncContext context, SchoolSyncContext.EntityWork work, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        work.CountBefore = await work.Writer.CountAsync(cancellationToken);
        if (work.CountBefore > 0)
        {
            // Keys are only remembered when something could be missing: a table empty at the start (a school's
            // first sync, inside this transaction) has nothing to delete.
            await work.Writer.BeginSeenAsync(cancellationToken);
        }

        var pending = 2 * (int)Math.Ceiling((double)apiOptions.Value.PageSize / options.Value.BatchSize) + 1;
        var batches = Channel.CreateBounded<RosterBatch>(new BoundedChannelOptions(pending) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ProduceBatchesAsync(context, work, batches.Writer, stopReading.Token), CancellationToken.None);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                work.Upserted += await work.Writer.UpsertAsync(batch.Rows, cancellationToken);
                if (work.CountBefore > 0)
                {
                    await work.Writer.MarkSeenAsync(batch.Seen, cancellationToken);
                }
                progress?.Report(new SyncProgress(context.Target.School.Name, "Reading", work.Entity.EntityType, batch.ReadSoFar));
            }
        }
        catch
        {
            // The writer failed: stop the reader too, then let the writer's exception through.
            await stopReading.CancelAsync();
            await reading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        var read = await reading; // rethrows a failed read: nothing is deleted after a partial read
        progress?.Report(new SyncProgress(context.Target.School.Name, "Read", work.Entity.EntityType, read));
    }

    /// <summary>Reads every page and hands over validated rows and the keys seen; returns how many records were read.</summary>
    private async Task<int> ProduceBatchesAsync(SchoolSyncContext context, SchoolSyncContext.EntityWork work, ChannelWriter<RosterBatch> batches, CancellationToken cancellationToken)
    {
        var batchSize = options.Value.BatchSize;
        var outcome = work.Outcome;
        var batch = new RosterBatch(batchSize);
        var read = 0;
        try
        {
            await foreach (var user in clever.GetSchoolUsersAsync(context.Target.Credentials, context.CleverSchoolId, work.Entity.Role, cancellationToken))
            {
                read++;
                var row = work.Entity.ToRow(user);
                if (row[0] is string { Length: > 0 } id && RecordValidator.IsStorableKey(id))
                {
                    // A record Clever has is never deleted, even when it cannot be stored as it is.
                    batch.Seen.Add(id);
                }

                if (work.Validator.Validate(row) is { } problem)
                {
                    outcome.Failed++;
                    SyncLog.InvalidRecord(logger, work.Entity.EntityType, user.Id ?? "(no id)", problem);
                }
                else
                {
                    batch.Rows.Add(row);
                    outcome.Processed++;
                    outcome.ObserveLastModified(user.LastModified);
                }

                if (batch.Seen.Count >= batchSize || batch.Rows.Count >= batchSize)
                {
                    batch.ReadSoFar = read;
                    await batches.WriteAsync(batch, cancellationToken);
                    batch = new RosterBatch(batchSize);
                }
            }

            batch.ReadSoFar = read;
            await batches.WriteAsync(batch, cancellationToken);
            batches.Complete();
            return read;
        }
        catch (Exception ex)
        {
            batches.Complete(ex);
            throw;
        }
    }

    private sealed class RosterBatch(int capacity)
    {
        public List<object?[]> Rows { get; } = new(capacity);
        public List<string> Seen { get; } = new(capacity);
        public int ReadSoFar { get; set; }
    }

    private async Task RemoveMissingAsync(SchoolSyncContext context, SchoolSyncContext.EntityWork work, CancellationToken cancellationToken)
    {
        var outcome = work.Outcome;
        var missing = work.CountBefore == 0 ? 0 : await work.Writer.CountMissingAsync(cancellationToken);
        var sync = options.Value;
        var share = work.CountBefore == 0 ? 0 : 100.0 * missing / work.CountBefore;
        if (missing >= Math.Max(1, sync.MassDeletionMinimumRecords) && share > sync.MassDeletionThresholdPercent && !context.Request.AllowMassDelete)
        {
            outcome.Warning =
                $"Mass-deletion guard: this sync would delete {missing} of {work.CountBefore} {work.Entity.EntityType.ToLowerInvariant()}s ({share:F0} %), " +
                $"more than the {sync.MassDeletionThresholdPercent} % allowed, so nothing was deleted. If Clever's roster is right, run: " +
                $"cleversync sync --school {context.CleverSchoolId} --full --allow-mass-delete";
            LogMassDeletionHeld(logger, work.Entity.EntityType, missing, work.CountBefore);
        }
        else if (missing > 0)
        {
            outcome.Deleted = await work.Writer.DeactivateAndDeleteMissingAsync(cancellationToken);
        }

        work.SetCreatedAndUpdated(await work.Writer.CountAsync(cancellationToken));
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Mass-deletion guard held back the deletion of {Missing} of {Total} {EntityType} records")]
    private static partial void LogMassDeletionHeld(ILogger logger, string entityType, long missing, long total);
}
