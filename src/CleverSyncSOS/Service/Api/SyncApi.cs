using System.Security.Claims;
using CleverSyncSOS.Host.Service.Scheduling;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Runs;
using CleverSyncSOS.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CleverSyncSOS.Host.Service.Api;

/// <summary>
/// The body of <c>POST /api/syncs</c>: every active school (nothing set), one district's, or one school. <paramref name="DryRun"/>: read
/// Clever and answer what the sync would do, writing nothing (a school or a district must be named).
/// </summary>
public sealed record TriggerSyncBody(string? School, string? District, bool Full = false, bool AllowMassDelete = false, bool DryRun = false);

/// <summary>The body of <c>POST /api/districts/{id}/pauses</c>.</summary>
public sealed record PauseWindowBody(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Reason);

/// <summary>
/// <c>/api</c>: trigger syncs, follow them, read a school's history, manage pause windows. Every route needs an API key or,
/// when configured, a JWT bearer token; errors are RFC 7807 problem details.
/// </summary>
public static class SyncApi
{
    public const string Policy = "cleversync-api";

    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Policy);
        api.MapPost("/syncs", TriggerAsync);
        // A caller limited to some districts (DistrictScope) gets, for anything of another district, the very answer it would
        // get if that thing did not exist: not its name, not its count, not that it exists.
        api.MapGet("/syncs/{runId:guid}", async (Guid runId, RunViews views, ClaimsPrincipal user, CancellationToken ct) =>
            await views.GetRunAsync(runId, DistrictScope.Of(user), ct) is { } run ? Results.Ok(run) : NotFound($"No run {runId}."));
        api.MapGet("/schools/{school}/history", async (string school, int? limit, RunViews views, ClaimsPrincipal user, CancellationToken ct) =>
            limit is < 1 or > 1000 ? BadRequest("limit must be between 1 and 1000.")
            : await views.GetSchoolHistoryAsync(school, limit ?? 50, ct) is { } history && DistrictScope.Of(user).Allows(history.CleverDistrictId) ? Results.Ok(history)
            : NotFound($"No school '{school}' is onboarded."));
        // The change log holds children's data: the same district limits as everything else, and no hint of another school's runs.
        api.MapGet("/schools/{school}/changes", ChangesAsync);
        api.MapGet("/districts/{district}/pauses", async (string district, PauseWindows pauses, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(DistrictScope.Of(user).Allows(district) ? await pauses.ListAsync(district, ct) : []));
        api.MapPost("/districts/{district}/pauses", AddPauseAsync);
        api.MapDelete("/districts/{district}/pauses/{id:int}", async (string district, int id, PauseWindows pauses, ClaimsPrincipal user, CancellationToken ct) =>
            DistrictScope.Of(user).Allows(district) && await pauses.RemoveAsync(id, district, ct) ? Results.NoContent() : NotFound($"No pause window {id} in district '{district}'."));
        return app;
    }

    private static async Task<IResult> TriggerAsync(TriggerSyncBody? body, SyncJobQueue queue, RunViews views, SyncOrchestrator orchestrator, SyncRunStore runs,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        body ??= new TriggerSyncBody(null, null);
        if (body.School is not null && body.District is not null)
        {
            return BadRequest("Give a school or a district, not both.");
        }

        if (body.School is { Length: 0 or > 50 } || body.District is { Length: 0 or > 50 })
        {
            return BadRequest("school and district are ids of at most 50 characters.");
        }

        var scope = DistrictScope.Of(user);
        if (!scope.IsEveryDistrict)
        {
            if (body.School is not null && (await views.DistrictsOfSchoolAsync(body.School, cancellationToken)).Any(d => !scope.Allows(d)))
            {
                return NotFound($"No school '{body.School}' is onboarded; 'cleversync status' lists the schools.");
            }

            if (body.District is not null && !scope.Allows(body.District))
            {
                return NotFound($"District '{body.District}' has no active school.");
            }

            if (body.School is null && body.District is null)
            {
                if (scope.Districts.Count > 1)
                {
                    return BadRequest($"This caller is limited to districts {string.Join(", ", scope.Districts.Order(StringComparer.Ordinal))}: name one in 'district'.");
                }

                body = body with { District = scope.Districts.Single() };
            }
        }

        if (body.DryRun)
        {
            return await DryRunAsync(body, orchestrator, runs, cancellationToken);
        }

        QueuedRun queued;
        try
        {
            queued = await queue.QueueAsync(SyncTrigger.Api, new SyncRequest(body.School, body.Full, body.AllowMassDelete), body.District,
                user.Identity?.Name, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            return NotFound(ex.Message);
        }

        if (queued.Schools.Count == 0)
        {
            return NotFound(body.District is null ? "No active school is onboarded." : $"District '{body.District}' has no active school.");
        }

        // One school asked for and already running: the caller learns which run to follow instead.
        if (body.School is not null && queued.Schools is [{ RunningIn: { } running }])
        {
            return AlreadySyncing(queued.Schools[0].Target.School, running);
        }

        var location = $"/api/syncs/{queued.Run.RunId}";
        return Results.Accepted(location, new
        {
            runId = queued.Run.RunId,
            location,
            schools = queued.Schools.Select(s => new
            {
                s.Target.School.SchoolId, s.Target.School.CleverSchoolId, s.Target.School.Name, s.Status, s.Reason, runningIn = s.RunningIn?.RunId,
            }),
        });
    }

    /// <summary>
    /// A dry run, in the request: it writes nothing (no run, no claim, no history), so there is nothing to queue, follow or recover,
    /// and the caller gets the answer at once. It reads Clever for one school or one district at most (what the caller may see).
    /// A school being synced is not read: its database is changing, so a prediction would be wrong; it answers as a real run would.
    /// </summary>
    private static async Task<IResult> DryRunAsync(TriggerSyncBody body, SyncOrchestrator orchestrator, SyncRunStore runs, CancellationToken cancellationToken)
    {
        if (body.School is null && body.District is null)
        {
            return BadRequest("A dry run answers while the caller waits: name a school or a district.");
        }

        IReadOnlyList<SchoolSyncTarget> targets;
        try
        {
            targets = await orchestrator.LoadTargetsAsync(body.School, body.District, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            return NotFound(ex.Message);
        }

        if (targets.Count == 0)
        {
            return NotFound($"District '{body.District}' has no active school.");
        }

        var idle = new List<SchoolSyncTarget>();
        var busy = new List<SchoolSyncResult>();
        foreach (var target in targets)
        {
            if (await runs.ActiveClaimAsync(target.School.SchoolId, cancellationToken) is not { } running)
            {
                idle.Add(target);
            }
            else if (body.School is not null)
            {
                return AlreadySyncing(target.School, running);
            }
            else
            {
                busy.Add(new SchoolSyncResult(target.School.SchoolId, target.School.CleverSchoolId, target.School.Name, target.District.CleverDistrictId, [],
                    TimeSpan.Zero, $"Not read: {target.School.Name} is {running.Status.ToLowerInvariant()} in run {running.RunId}. Try again when it has finished."));
            }
        }

        var results = await orchestrator.DryRunAsync(idle, new SyncRequest(body.School, body.Full, body.AllowMassDelete, DryRun: true), progress: null, cancellationToken);
        return Results.Ok(DryRunView.From([.. results, .. busy]));
    }

    /// <summary>
    /// A school's change log, read as the CLI reads it. It holds children's data: the same district limits as everything else, and a run of
    /// another school answers as a run that does not exist.
    /// </summary>
    private static async Task<IResult> ChangesAsync(string school, int? run, string? cleverId, int? limit, SchoolChanges changes, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (SchoolChanges.Invalid(run, cleverId, limit) is { } invalid)
        {
            return BadRequest(invalid);
        }

        var (found, missing) = await changes.ReadAsync(DistrictScope.Of(user), school, run, cleverId, limit ?? SchoolChanges.DefaultLimit, cancellationToken);
        return found is not null ? Results.Ok(found) : NotFound(missing!);
    }

    private static async Task<IResult> AddPauseAsync(string district, PauseWindowBody? body, PauseWindows pauses, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (body?.StartsAt is not { } starts || body.EndsAt is not { } ends)
        {
            return BadRequest("startsAt and endsAt are required (ISO 8601 with an offset, e.g. 2027-06-15T00:00:00Z).");
        }

        try
        {
            var window = await pauses.AddAsync(district, starts.UtcDateTime, ends.UtcDateTime, body.Reason, cancellationToken,
                visible: DistrictScope.Of(user).Allows(district));
            return Results.Created($"/api/districts/{district}/pauses/{window.Id}", window);
        }
        catch (KeyNotFoundException ex)
        {
            return NotFound(ex.Message);
        }
        catch (ArgumentException ex)
        {
            return BadRequest(ex.Message);
        }
    }

    /// <summary>One school asked for and already queued or running: the caller learns which run to follow instead.</summary>
    private static IResult AlreadySyncing(School school, SyncRunSchool running) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The school is already being synced",
            detail: $"{school.Name} is {running.Status.ToLowerInvariant()} in run {running.RunId}.",
            extensions: new Dictionary<string, object?> { ["runId"] = running.RunId, ["location"] = $"/api/syncs/{running.RunId}" });

    private static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    private static IResult BadRequest(string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: detail);
}
