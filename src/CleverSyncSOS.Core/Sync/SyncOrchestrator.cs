using System.Collections.Concurrent;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync;

/// <summary>
/// Syncs every active school of every active district, at most <see cref="SyncOptions.MaxParallelSchools"/>
/// at once, each in its own DI scope so no DbContext or state is shared between schools.
/// </summary>
public sealed partial class SyncOrchestrator(
    SessionDatabase sessionDatabase,
    IServiceScopeFactory scopes,
    IOptions<SyncOptions> options,
    IOptions<SecretStoreOptions> secretOptions,
    Runs.InstanceRegistry instances,
    Runs.SyncRunStore runs,
    Runs.PauseWindows pauses,
    SyncHistoryRecorder history,
    Events.DistrictEventFeeds feeds,
    ILogger<SyncOrchestrator> logger)
{
    /// <summary>
    /// The CLI's run: every school (or the one asked for) is claimed and synced here; a school another live process is
    /// syncing is refused with a result that says so, and its rows are left alone.
    /// </summary>
    public async Task<IReadOnlyList<SchoolSyncResult>> RunAsync(SyncRequest request, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        if (request.DryRun)
        {
            return await DryRunAsync(request, progress, cancellationToken);
        }

        await using var alive = await instances.KeepAliveAsync(cancellationToken);
        await runs.CloseAbandonedAsync(cancellationToken);
        var targets = await LoadTargetsAsync(request.School, cancellationToken);
        var run = await runs.CreateRunAsync(Persistence.Session.SyncTrigger.Cli, request, district: null, requestedBy: null, cancellationToken);
        using var activity = Observability.CleverSyncTelemetry.ActivitySource.StartActivity("SyncRun");
        activity?.SetTag("cleversync.run", run.RunId.ToString());
        activity?.SetTag("cleversync.trigger", run.Trigger);
        var results = new ConcurrentBag<SchoolSyncResult>();
        try
        {
            // Each district's events are read once for the run (DistrictEventFeeds) and applied school by school.
            await Parallel.ForEachAsync(targets,
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelSchools, CancellationToken = CancellationToken.None },
                async (target, _) => results.Add(await ClaimAndRunAsync(run.RunId, target, request, progress, cancellationToken)));
        }
        finally
        {
            feeds.Forget(run.RunId);
        }

        return results.OrderBy(r => r.SchoolName, StringComparer.Ordinal).ThenBy(r => r.SchoolId).ToList();
    }

    /// <summary>
    /// Syncs one school whose claim (<paramref name="claimId"/>) the caller holds, and closes the claim with the result.
    /// The service's jobs and the CLI both end here.
    /// </summary>
    public async Task<SchoolSyncResult> RunClaimedAsync(int claimId, Guid runId, SchoolSyncTarget target, SyncRequest request,
        IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        SchoolSyncResult result;
        try
        {
            var interrupted = await history.CloseInterruptedAsync(target.School.SchoolId, cancellationToken);
            if (interrupted > 0)
            {
                LogClosedInterrupted(logger, interrupted);
            }

            var full = request.ForceFull || await pauses.EndedSinceLastSyncAsync(target.School, cancellationToken);
            result = await RunSchoolAsync(target, request with { RunId = runId, ForceFull = full }, progress, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            result = Failed(target, cancellationToken.IsCancellationRequested ? request.CancelledMessage ?? "Cancelled before the sync started." : ex.Message);
        }

        await runs.FinishAsync(claimId, result.Status, result.Error, CancellationToken.None);
        return result;
    }

    /// <summary>Loads one school to sync by SchoolId (the service's jobs), or null when it is no longer onboarded.</summary>
    public async Task<SchoolSyncTarget?> LoadTargetAsync(int schoolId, CancellationToken cancellationToken)
    {
        var found = await LoadTargetsAsync(schoolId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken, throwWhenMissing: false);
        return found.FirstOrDefault(t => t.School.SchoolId == schoolId);
    }

    /// <summary>The schools a request names: one, a district's active ones, or every active one.</summary>
    public async Task<IReadOnlyList<SchoolSyncTarget>> LoadTargetsAsync(string? school, string? district, CancellationToken cancellationToken)
    {
        var targets = await LoadTargetsAsync(school, cancellationToken);
        return district is null ? targets : targets.Where(t => t.District.CleverDistrictId == district).ToList();
    }

    /// <summary>
    /// A dry run writes nothing anywhere, SessionDb included: no heartbeat, no run, no claim, no history. It reads
    /// Clever and the school's database, so a school that is being synced meanwhile is only read, never changed.
    /// </summary>
    private async Task<IReadOnlyList<SchoolSyncResult>> DryRunAsync(SyncRequest request, IProgress<SyncProgress>? progress, CancellationToken cancellationToken) =>
        await DryRunAsync(await LoadTargetsAsync(request.School, cancellationToken), request, progress, cancellationToken);

    /// <summary>The dry run of <paramref name="targets"/> (the API's, which chooses them by district scope): see <see cref="DryRunAsync(SyncRequest, IProgress{SyncProgress}?, CancellationToken)"/>.</summary>
    public async Task<IReadOnlyList<SchoolSyncResult>> DryRunAsync(IReadOnlyList<SchoolSyncTarget> targets, SyncRequest request, IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        request = request with { DryRun = true };
        var results = new ConcurrentBag<SchoolSyncResult>();
        await Parallel.ForEachAsync(targets,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelSchools, CancellationToken = CancellationToken.None },
            async (target, _) => results.Add(await RunSchoolAsync(target, request, progress, cancellationToken)));
        return results.OrderBy(r => r.SchoolName, StringComparer.Ordinal).ThenBy(r => r.SchoolId).ToList();
    }

    private async Task<SchoolSyncResult> ClaimAndRunAsync(Guid runId, SchoolSyncTarget target, SyncRequest request, IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        Runs.SchoolClaim claim;
        try
        {
            claim = await runs.TryClaimAsync(runId, target.School.SchoolId, Persistence.Session.SyncRunStatus.Running, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            return Failed(target, cancellationToken.IsCancellationRequested ? "Cancelled before the sync started." : ex.Message);
        }

        if (claim.Holder is { } holder)
        {
            var message = $"Not synced: {target.School.Name} is being synced by {holder.InstanceId ?? "another process"} (run {holder.RunId}, {holder.Status.ToLowerInvariant()} since {holder.QueuedAt:u}). Try again when it has finished.";
            LogRefused(logger, target.School.Name, message);
            return Failed(target, message);
        }

        return await RunClaimedAsync(claim.RowId!.Value, runId, target, request, progress, cancellationToken);
    }

    private async Task<SchoolSyncResult> RunSchoolAsync(SchoolSyncTarget target, SyncRequest request, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SchoolSyncJob>().RunAsync(target, request, progress, cancellationToken);
        }
        catch (Exception ex)
        {
            // Only reached when SessionDb itself failed for this school; the job records everything else.
            var message = cancellationToken.IsCancellationRequested ? request.CancelledMessage ?? "Cancelled before the sync started." : ex.Message;
            LogSchoolFailed(logger, ex, target.School.Name, message);
            return Failed(target, message);
        }
    }

    private SchoolSyncResult Failed(SchoolSyncTarget target, string message) =>
        new(target.School.SchoolId, target.School.CleverSchoolId, target.School.Name, target.District.CleverDistrictId, [], TimeSpan.Zero, message);

    private async Task<IReadOnlyList<SchoolSyncTarget>> LoadTargetsAsync(string? school, CancellationToken cancellationToken, bool throwWhenMissing = true)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var query = from s in db.Schools.AsNoTracking()
                    join d in db.Districts.AsNoTracking() on s.DistrictId equals d.CleverDistrictId
                    select new { School = s, District = d };

        if (school is not null)
        {
            query = int.TryParse(school, out var id)
                ? query.Where(x => x.School.SchoolId == id || x.School.CleverSchoolId == school)
                : query.Where(x => x.School.CleverSchoolId == school);
            var found = await query.ToListAsync(cancellationToken);
            if (found.Count == 0 && throwWhenMissing)
            {
                throw new ArgumentException($"No school '{school}' is onboarded; 'cleversync status' lists the schools.");
            }

            // An explicitly named school is synced even when inactive: the operator asked for it.
            return found.Select(x => ToTarget(x.School, x.District)).ToList();
        }

        var active = await query.Where(x => x.School.IsActive && x.District.IsActive)
            .OrderBy(x => x.District.Name).ThenBy(x => x.School.Name).ToListAsync(cancellationToken);
        return active.Select(x => ToTarget(x.School, x.District)).ToList();
    }

    private SchoolSyncTarget ToTarget(Persistence.Session.School school, Persistence.Session.District district) =>
        new(school, district, DistrictCredentials.For(district, secretOptions.Value.VaultUri));

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Closed {Count} sync history rows left InProgress by a process that is gone as Failed")]
    private static partial void LogClosedInterrupted(ILogger logger, int count);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Error, Message = "The sync of {SchoolName} could not run: {Reason}")]
    private static partial void LogSchoolFailed(ILogger logger, Exception exception, string schoolName, string reason);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Refused to sync {SchoolName}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string schoolName, string reason);
}
