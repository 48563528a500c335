using System.Security.Claims;
using CleverSyncSOS.Host.OperatorConsole.Reading;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Host.Service.Scheduling;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using Microsoft.AspNetCore.Authorization;

namespace CleverSyncSOS.Host.OperatorConsole;

/// <summary>What an action of the console led to: the run to follow, or why nothing was started.</summary>
public sealed record ActionOutcome(Guid? RunId, string? Problem);

/// <summary>
/// The console's actions: the same queue the API and the schedule use (<see cref="SyncJobQueue"/>), after checking the user
/// holds the Operator role and may see the district. The page handlers come here, never to the queue directly.
/// </summary>
public sealed class ConsoleActions(SyncJobQueue queue, IAuthorizationService authorization)
{
    public async Task<bool> MayActAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, ConsolePolicies.Operator)).Succeeded;

    /// <summary>Queues a sync of one school; a school already running answers with the run it is in.</summary>
    public async Task<ActionOutcome> SyncSchoolAsync(ClaimsPrincipal user, SchoolCard school, bool full, bool allowMassDelete, CancellationToken cancellationToken)
    {
        var queued = await queue.QueueAsync(SyncTrigger.Api, new SyncRequest(school.CleverSchoolId, full || allowMassDelete, allowMassDelete), null,
            RequestedBy(user), cancellationToken);
        return queued.Schools switch
        {
            [{ RunningIn: { } running }] => new ActionOutcome(running.RunId, "This school is already being synced; here is that run."),
            [] => new ActionOutcome(null, "The school is not active, so it was not synced."),
            _ => new ActionOutcome(queued.Run.RunId, null),
        };
    }

    /// <summary>Queues a sync of every active school of a district the user may see.</summary>
    public async Task<ActionOutcome> SyncDistrictAsync(ClaimsPrincipal user, string cleverDistrictId, CancellationToken cancellationToken)
    {
        if (!DistrictScope.Of(user).Allows(cleverDistrictId))
        {
            return new ActionOutcome(null, "No such district.");
        }

        var queued = await queue.QueueAsync(SyncTrigger.Api, new SyncRequest(), cleverDistrictId, RequestedBy(user), cancellationToken);
        return queued.Schools.Count == 0 ? new ActionOutcome(null, "The district has no active school.") : new ActionOutcome(queued.Run.RunId, null);
    }

    private static string RequestedBy(ClaimsPrincipal user) => $"console:{user.Identity?.Name}";
}
