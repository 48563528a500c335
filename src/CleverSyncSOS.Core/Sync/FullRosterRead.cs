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
public sealed partial class FullRosterRead(CleverApiClient clever, IOptions<SyncOptions> options, ILogger<FullRosterRead> logger)
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

    private async Task ReadEntityAsync(SchoolSyncContext context, SchoolSyncContext.EntityWork work, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var batchSize = options.Value.BatchSize;
        var writer = work.Writer;
        var outcome = work.Outcome;
        work.CountBefore = await writer.CountAsync(cancellationToken);
        await writer.BeginSeenAsync(cancellationToken);

        var rows = new List<object?[]>(batchSize);
        var seen = new List<string>(batchSize);
        var read = 0;
        await foreach (var user in clever.GetSchoolUsersAsync(context.Target.Credentials, context.CleverSchoolId, work.Entity.Role, cancellationToken))
        {
            read++;
            var row = work.Entity.ToRow(user);
            if (row[0] is string { Length: > 0 } id)
            {
                // A record Clever has is never deleted, even when it cannot be stored as it is.
                seen.Add(id);
            }

            if (work.Validator.Validate(row) is { } problem)
            {
                outcome.Failed++;
                SyncLog.InvalidRecord(logger, work.Entity.EntityType, user.Id ?? "(no id)", problem);
            }
            else
            {
                rows.Add(row);
                outcome.Processed++;
                outcome.ObserveLastModified(user.LastModified);
            }

            if (rows.Count >= batchSize || seen.Count >= batchSize)
            {
                await FlushAsync(work, rows, seen, cancellationToken);
                progress?.Report(new SyncProgress(context.Target.School.Name, "Reading", work.Entity.EntityType, read));
            }
        }

        await FlushAsync(work, rows, seen, cancellationToken);
        progress?.Report(new SyncProgress(context.Target.School.Name, "Read", work.Entity.EntityType, read));
    }

    private static async Task FlushAsync(SchoolSyncContext.EntityWork work, List<object?[]> rows, List<string> seen, CancellationToken cancellationToken)
    {
        work.Upserted += await work.Writer.UpsertAsync(rows, cancellationToken);
        await work.Writer.MarkSeenAsync(seen, cancellationToken);
        rows.Clear();
        seen.Clear();
    }

    private async Task RemoveMissingAsync(SchoolSyncContext context, SchoolSyncContext.EntityWork work, CancellationToken cancellationToken)
    {
        var outcome = work.Outcome;
        var missing = await work.Writer.CountMissingAsync(cancellationToken);
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
