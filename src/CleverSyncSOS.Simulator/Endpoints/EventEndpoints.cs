using CleverSyncSOS.Simulator.Data;
using CleverSyncSOS.Simulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>
/// GET /events (limit, starting_after, ending_before incl. "last", school, record_type) and /events/{id}
/// (docs/clever-api.md, "Events API"). A cursor that is unknown or no longer retained is a 404, the client's cue to resync.
/// </summary>
internal sealed class EventEndpoints(SimulatorRuntime runtime)
{
    private SimulatorStore Store => runtime.Store;

    public static void Map(IEndpointRouteBuilder routes, SimulatorRuntime runtime)
    {
        var endpoints = new EventEndpoints(runtime);
        foreach (var version in ApiPaths.Versions)
        {
            routes.MapGet(version + "/events", (RequestDelegate)endpoints.ListAsync);
            routes.MapGet(version + "/events/{id}", (RequestDelegate)endpoints.GetAsync);
        }
    }

    private async Task ListAsync(HttpContext context)
    {
        if (!Store.EventsEnabled && runtime.Options.EventsOff != EventsOffAnswer.EmptyList)
        {
            await EventsOffAsync(context);
            return;
        }

        var query = ListQuery.Parse(context.Request, runtime.Options.MaxPageSize, out var error);
        // Event cursors must name a retained event; the store checks that, so any parsable id is a key here.
        var request = query?.ToPageRequest(id => Store.Ids.TryParse(IdKind.Event, id) ?? -1, out error, runtime.Options.EndingBeforeLast);
        if (request is not PageRequest pageRequest)
        {
            await Responses.ApiError(runtime.Options, context, error!.Status, error.Message);
            return;
        }

        var school = context.Request.Query["school"].ToString();
        var recordTypes = context.Request.Query["record_type"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        var result = Store.QueryEvents(ApiContext.District(context), school.Length > 0 ? school : null, recordTypes, pageRequest, query!.CursorId);
        if (result.Page is null && runtime.Options.ExpiredCursor == ExpiredCursorAnswer.FromOldestKept)
        {
            // As if the cursor were the oldest event: whatever happened in between is silently skipped.
            result = Store.QueryEvents(ApiContext.District(context), school.Length > 0 ? school : null, recordTypes, new PageRequest(pageRequest.Limit, CursorMode.First, 0), null);
        }

        if (result.Page is not { } page)
        {
            const string expired = "Event cursor not found: it is unknown or older than the retention window. Resync from the data API.";
            await Responses.ApiError(runtime.Options, context,
                runtime.Options.ExpiredCursor == ExpiredCursorAnswer.BadRequest ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound, expired);
            return;
        }

        await EnvelopeWriter.WriteListAsync(
            context,
            page.Items,
            ApiPaths.VersionOf(context.Request) + "/events/",
            static e => e.Id,
            static (w, e) => w.WriteRawValue(e.Json, skipInputValidation: true),
            PageLinks.For(context.Request, page.Items.Count > 0 ? page.Items[0].Id : null, page.Items.Count > 0 ? page.Items[^1].Id : null, page.HasPrev, page.HasNext, runtime.Options));
    }

    private Task EventsOffAsync(HttpContext context) => runtime.Options.EventsOff switch
    {
        EventsOffAnswer.Unauthorized => Responses.ApiError(runtime.Options, context, StatusCodes.Status401Unauthorized, "Unauthorized"),
        EventsOffAnswer.Forbidden => Responses.ApiError(runtime.Options, context, StatusCodes.Status403Forbidden, "Events are not enabled for this district"),
        _ => Responses.ApiError(runtime.Options, context, StatusCodes.Status404NotFound, "Not Found"),
    };

    private Task GetAsync(HttpContext context)
    {
        if (!Store.EventsEnabled && runtime.Options.EventsOff != EventsOffAnswer.EmptyList)
        {
            return EventsOffAsync(context);
        }

        var found = Store.FindEvent(ApiContext.RouteId(context), ApiContext.District(context));
        return found is null
            ? Responses.ApiError(runtime.Options, context, StatusCodes.Status404NotFound, "Not Found")
            : EnvelopeWriter.WriteSingleAsync(context, w => w.WriteRawValue(found.Json, skipInputValidation: true));
    }
}
