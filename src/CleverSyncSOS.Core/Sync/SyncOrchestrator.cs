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
    SyncHistoryRecorder history,
    IServiceScopeFactory scopes,
    IOptions<SyncOptions> options,
    IOptions<SecretStoreOptions> secretOptions,
    TimeProvider time,
    ILogger<SyncOrchestrator> logger)
{
    public async Task<IReadOnlyList<SchoolSyncResult>> RunAsync(SyncRequest request, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var interrupted = await history.CloseInterruptedAsync(cancellationToken);
        if (interrupted > 0)
        {
            LogClosedInterrupted(logger, interrupted);
        }

        var targets = await LoadTargetsAsync(request.School, cancellationToken);
        var results = new ConcurrentBag<SchoolSyncResult>();
        await Parallel.ForEachAsync(targets,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelSchools, CancellationToken = CancellationToken.None },
            async (target, _) => results.Add(await RunSchoolAsync(target, request, progress, cancellationToken)));

        return results.OrderBy(r => r.SchoolName, StringComparer.Ordinal).ThenBy(r => r.SchoolId).ToList();
    }

    private async Task<SchoolSyncResult> RunSchoolAsync(SchoolSyncTarget target, SyncRequest request, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SchoolSyncJob>().RunAsync(target, request, progress, cancellationToken);
        }
        catch (Exception ex)
        {
            // Only reached when SessionDb itself failed for this school; the job records everything else.
            var message = cancellationToken.IsCancellationRequested ? "Cancelled before the sync started." : ex.Message;
            LogSchoolFailed(logger, ex, target.School.Name, message);
            return new SchoolSyncResult(target.School.SchoolId, target.School.CleverSchoolId, target.School.Name, target.District.CleverDistrictId,
                [], time.GetElapsedTime(started), message);
        }
    }

    private async Task<IReadOnlyList<SchoolSyncTarget>> LoadTargetsAsync(string? school, CancellationToken cancellationToken)
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
            if (found.Count == 0)
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

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Closed {Count} sync history rows left InProgress by an earlier run as Failed")]
    private static partial void LogClosedInterrupted(ILogger logger, int count);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Error, Message = "The sync of {SchoolName} could not run: {Reason}")]
    private static partial void LogSchoolFailed(ILogger logger, Exception exception, string schoolName, string reason);
}
