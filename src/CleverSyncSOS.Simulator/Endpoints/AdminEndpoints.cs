using System.Text.Json;
using System.Text.Json.Nodes;
using CleverSyncSOS.Simulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static CleverSyncSOS.Simulator.AdminContracts;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>
/// The simulator's own control surface under /simulator (no auth; loopback only), mirroring
/// <see cref="SimulatorStore"/> and <see cref="FaultInjector"/> for out-of-process tests and the CLI.
/// </summary>
internal sealed class AdminEndpoints(SimulatorRuntime runtime)
{
    private SimulatorStore Store => runtime.Store;

    public static void Map(IEndpointRouteBuilder routes, SimulatorRuntime runtime)
    {
        var admin = new AdminEndpoints(runtime);
        var group = routes.MapGroup("/simulator");
        group.MapGet("/districts", Guard(ctx => Ok(ctx, admin.Store.Districts)));
        group.MapPost("/users", Guard(admin.AddUserAsync));
        group.MapPatch("/users/{id}", Guard(admin.UpdateUserAsync));
        group.MapDelete("/users/{id}", Guard(ctx => admin.Store.RemoveUser(ApiContext.RouteId(ctx)) ? NoContent(ctx) : NotFound(ctx)));
        group.MapPost("/schools/{id}/students", Guard(ctx => Ok(ctx, new IdResponse(admin.Store.AddStudent(ApiContext.RouteId(ctx))))));
        group.MapPost("/schools/{id}/teachers", Guard(ctx => Ok(ctx, new IdResponse(admin.Store.AddTeacher(ApiContext.RouteId(ctx))))));
        group.MapPost("/schools/{id}/changes", Guard(admin.ApplyChangesAsync));
        group.MapPost("/schools/{id}/keep-fraction", Guard(admin.KeepFractionAsync));
        group.MapPost("/districts/{id}/revoke-tokens", Guard(ctx =>
        {
            admin.Store.RevokeTokens(ApiContext.RouteId(ctx));
            return NoContent(ctx);
        }));
        group.MapPost("/districts/{id}/rotate-credentials", Guard(ctx => Ok(ctx, new SecretResponse(admin.Store.RotateCredentials(ApiContext.RouteId(ctx))))));
        group.MapPost("/events/expire", Guard(ctx =>
        {
            admin.Store.ExpireEvents();
            return NoContent(ctx);
        }));
        group.MapPost("/faults", Guard(admin.AddFaultAsync));
        group.MapDelete("/faults", Guard(ctx =>
        {
            runtime.Faults.Clear();
            return NoContent(ctx);
        }));
        group.MapPut("/rate-limit", Guard(admin.SetRateLimitAsync));
        group.MapPut("/latency", Guard(admin.SetLatencyAsync));
        group.MapGet("/stats", Guard(ctx => Ok(ctx, new SimulatorStats(runtime.Counters.Token, runtime.Counters.Data))));
    }

    private async Task AddUserAsync(HttpContext context)
    {
        if (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) is not JsonObject user)
        {
            await BadRequest(context, "body must be a JSON object");
            return;
        }
        await Ok(context, new IdResponse(Store.AddUser(user)));
    }

    private async Task UpdateUserAsync(HttpContext context)
    {
        if (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) is not JsonObject patch)
        {
            await BadRequest(context, "body must be a JSON object");
            return;
        }
        await (Store.UpdateUser(ApiContext.RouteId(context), patch) ? NoContent(context) : NotFound(context));
    }

    private async Task ApplyChangesAsync(HttpContext context)
    {
        var body = await Read<ChangesRequest>(context);
        await Ok(context, Store.ApplyRandomChanges(ApiContext.RouteId(context), body.Adds, body.Edits, body.Removes, body.Seed));
    }

    private async Task KeepFractionAsync(HttpContext context)
    {
        var body = await Read<KeepFractionRequest>(context);
        await Ok(context, new KeepFractionResponse(Store.KeepOnlyFraction(ApiContext.RouteId(context), body.Role, body.Fraction, body.WithEvents)));
    }

    private async Task AddFaultAsync(HttpContext context)
    {
        runtime.Faults.Add(await Read<FaultRule>(context));
        await NoContent(context);
    }

    private async Task SetRateLimitAsync(HttpContext context)
    {
        runtime.Faults.RateLimitPerMinute = (await Read<RateLimitRequest>(context)).PerMinute;
        await NoContent(context);
    }

    private async Task SetLatencyAsync(HttpContext context)
    {
        runtime.Faults.LatencyMilliseconds = (await Read<LatencyRequest>(context)).Milliseconds;
        await NoContent(context);
    }

    private static async Task<T> Read<T>(HttpContext context) =>
        await JsonSerializer.DeserializeAsync<T>(context.Request.Body, AdminContracts.Json, context.RequestAborted)
        ?? throw new ArgumentException("A JSON body is required.");

    /// <summary>Maps the store's argument errors to 400 and unknown ids to 404.</summary>
    private static RequestDelegate Guard(Func<HttpContext, Task> handler) => async context =>
    {
        try
        {
            await handler(context);
        }
        catch (KeyNotFoundException e)
        {
            await Responses.Message(context, StatusCodes.Status404NotFound, e.Message);
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            await BadRequest(context, e.Message);
        }
    };

    private static Task Ok<T>(HttpContext context, T value) => context.Response.WriteAsJsonAsync(value, AdminContracts.Json, context.RequestAborted);

    private static Task NoContent(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task NotFound(HttpContext context) => Responses.Message(context, StatusCodes.Status404NotFound, "Not Found");

    private static Task BadRequest(HttpContext context, string message) => Responses.Message(context, StatusCodes.Status400BadRequest, message);
}
