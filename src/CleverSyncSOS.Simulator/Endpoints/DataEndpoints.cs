using CleverSyncSOS.Simulator.Data;
using CleverSyncSOS.Simulator.Generation;
using CleverSyncSOS.Simulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>
/// Districts, schools and users (docs/clever-api.md, "Data API v3.0"). A token sees only its own district: anything
/// else is 404, as if it did not exist. Authentication already happened in the request gate.
/// </summary>
internal sealed class DataEndpoints(SimulatorRuntime runtime)
{
    private static readonly HashSet<string> UserRoles = ["contact", "district_admin", "staff", "student", "teacher"];
    private static readonly HashSet<string> SchoolUserRoles = ["staff", "student", "teacher"];

    private SimulatorStore Store => runtime.Store;

    public static void Map(IEndpointRouteBuilder routes, SimulatorRuntime runtime)
    {
        var endpoints = new DataEndpoints(runtime);
        foreach (var version in ApiPaths.Versions)
        {
            var api = routes.MapGroup(version);
            api.MapGet("/districts", (RequestDelegate)endpoints.ListDistrictsAsync);
            api.MapGet("/districts/{id}", (RequestDelegate)endpoints.GetDistrictAsync);
            api.MapGet("/schools", (RequestDelegate)endpoints.ListSchoolsAsync);
            api.MapGet("/schools/{id}", (RequestDelegate)endpoints.GetSchoolAsync);
            api.MapGet("/schools/{id}/users", (RequestDelegate)endpoints.ListSchoolUsersAsync);
            api.MapGet("/users", (RequestDelegate)endpoints.ListUsersAsync);
            api.MapGet("/users/{id}", (RequestDelegate)endpoints.GetUserAsync);
        }
    }

    private Task ListDistrictsAsync(HttpContext context)
    {
        // Clever returns only the token's own district.
        var own = Store.DistrictStates[ApiContext.District(context)];
        return ListStaticAsync(context, [own], IdKind.District, d => Store.Ids.TryParse(IdKind.District, d.Id) ?? 0, d => d.Id, d => d.Json, "/districts/");
    }

    private Task GetDistrictAsync(HttpContext context)
    {
        var own = Store.DistrictStates[ApiContext.District(context)];
        return own.Id == ApiContext.RouteId(context)
            ? EnvelopeWriter.WriteSingleAsync(context, w => w.WriteRawValue(own.Json, skipInputValidation: true))
            : NotFound(context);
    }

    private Task ListSchoolsAsync(HttpContext context)
    {
        var own = Store.DistrictStates[ApiContext.District(context)];
        return ListStaticAsync(context, own.Schools, IdKind.School, s => s.Counter, s => s.Id, s => s.Json, "/schools/");
    }

    private Task GetSchoolAsync(HttpContext context)
    {
        var school = OwnSchool(context);
        return school is null ? NotFound(context) : EnvelopeWriter.WriteSingleAsync(context, w => w.WriteRawValue(school.Json, skipInputValidation: true));
    }

    private Task ListSchoolUsersAsync(HttpContext context)
    {
        var school = OwnSchool(context);
        return school is null ? NotFound(context) : ListUsersAsync(context, school, SchoolUserRoles);
    }

    private Task ListUsersAsync(HttpContext context) => ListUsersAsync(context, null, UserRoles);

    private async Task ListUsersAsync(HttpContext context, SchoolState? school, HashSet<string> allowedRoles)
    {
        var role = context.Request.Query["role"].ToString();
        if (role.Length > 0 && !allowedRoles.Contains(role))
        {
            await Responses.ApiError(runtime.Options, context, StatusCodes.Status400BadRequest, "invalid role");
            return;
        }
        var query = ListQuery.Parse(context.Request, runtime.Options.MaxPageSize, out var error);
        var request = query?.ToPageRequest(id => Store.Ids.OrderKey(IdKind.User, id), out error, runtime.Options.EndingBeforeLast);
        if (request is not PageRequest pageRequest)
        {
            await Responses.ApiError(runtime.Options, context, error!.Status, error.Message);
            return;
        }

        var filter = new UserFilter(ApiContext.District(context), role.Length > 0 ? role : null, school);
        var page = Store.QueryUsers(filter, pageRequest);
        var writer = Store.Writer;
        string IdOf(UserSnapshot u) => Store.Ids.Format(IdKind.User, u.Counter);
        await EnvelopeWriter.WriteListAsync(
            context,
            page.Items,
            ApiPaths.VersionOf(context.Request) + "/users/",
            IdOf,
            (w, u) => WriteUser(w, u, writer),
            PageLinks.For(context.Request, page.Items.Count > 0 ? IdOf(page.Items[0]) : null, page.Items.Count > 0 ? IdOf(page.Items[^1]) : null, page.HasPrev, page.HasNext, runtime.Options));
    }

    private Task GetUserAsync(HttpContext context)
    {
        var user = Store.FindUser(ApiContext.RouteId(context), ApiContext.District(context));
        if (user is not UserSnapshot found) return NotFound(context);
        var writer = Store.Writer;
        return EnvelopeWriter.WriteSingleAsync(context, w => WriteUser(w, found, writer));
    }

    private static void WriteUser(System.Text.Json.Utf8JsonWriter w, UserSnapshot user, GeneratedUserWriter writer)
    {
        if (user.Json is not null) w.WriteRawValue(user.Json, skipInputValidation: true);
        else writer.Write(w, user.Counter, user.Generated);
    }

    /// <summary>Paged list over the few, immutable district/school objects.</summary>
    private async Task ListStaticAsync<T>(HttpContext context, IReadOnlyList<T> items, IdKind kind, Func<T, long> key, Func<T, string> idOf, Func<T, byte[]> json, string path)
    {
        var query = ListQuery.Parse(context.Request, runtime.Options.MaxPageSize, out var error);
        var request = query?.ToPageRequest(id => Store.Ids.OrderKey(kind, id), out error, runtime.Options.EndingBeforeLast);
        if (request is not PageRequest pageRequest)
        {
            await Responses.ApiError(runtime.Options, context, error!.Status, error.Message);
            return;
        }
        var page = Pager.Take(items, key, static _ => true, pageRequest);
        await EnvelopeWriter.WriteListAsync(
            context,
            page.Items,
            ApiPaths.VersionOf(context.Request) + path,
            idOf,
            (w, item) => w.WriteRawValue(json(item), skipInputValidation: true),
            PageLinks.For(context.Request, page.Items.Count > 0 ? idOf(page.Items[0]) : null, page.Items.Count > 0 ? idOf(page.Items[^1]) : null, page.HasPrev, page.HasNext, runtime.Options));
    }

    private SchoolState? OwnSchool(HttpContext context)
    {
        var school = Store.FindSchool(ApiContext.RouteId(context));
        return school is not null && school.DistrictIndex == ApiContext.District(context) ? school : null;
    }

    private Task NotFound(HttpContext context) => Responses.ApiError(runtime.Options, context, StatusCodes.Status404NotFound, "Not Found");
}
