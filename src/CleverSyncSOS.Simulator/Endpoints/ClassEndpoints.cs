using CleverSyncSOS.Simulator.Data;
using CleverSyncSOS.Simulator.Generation;
using CleverSyncSOS.Simulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>
/// A school's sections, courses and terms (clever-api.md §2–3), paged by id cursor like every Clever list, and
/// each object by id. A token sees only its own district; anything else is 404.
/// </summary>
internal sealed class ClassEndpoints(SimulatorRuntime runtime)
{
    private SimulatorStore Store => runtime.Store;

    public static void Map(IEndpointRouteBuilder routes, SimulatorRuntime runtime)
    {
        var endpoints = new ClassEndpoints(runtime);
        foreach (var version in ApiPaths.Versions)
        {
            var api = routes.MapGroup(version);
            api.MapGet("/schools/{id}/sections", (RequestDelegate)endpoints.ListSectionsAsync);
            api.MapGet("/schools/{id}/courses", (RequestDelegate)endpoints.ListCoursesAsync);
            api.MapGet("/schools/{id}/terms", (RequestDelegate)endpoints.ListTermsAsync);
            api.MapGet("/sections/{id}", (RequestDelegate)endpoints.GetSectionAsync);
        }
    }

    private Task ListSectionsAsync(HttpContext context) =>
        ListAsync(context, IdKind.Section, "/sections/", school => Store.SectionsOfLocked(school), s => s.Counter, s => s.Id, s => s.ToBytes(Store.DistrictId(s.DistrictIndex)));

    private Task ListCoursesAsync(HttpContext context) =>
        ListAsync(context, IdKind.Course, "/courses/", school => Store.CoursesOfLocked(school), c => c.Counter, c => c.Id, c => c.ToBytes(Store.DistrictId(c.DistrictIndex)));

    private Task ListTermsAsync(HttpContext context) =>
        ListAsync(context, IdKind.Term, "/terms/", school => Store.TermsOfLocked(school), t => t.Counter, t => t.Id, t => t.ToBytes(Store.DistrictId(t.DistrictIndex)));

    private Task GetSectionAsync(HttpContext context)
    {
        var district = ApiContext.District(context);
        var id = ApiContext.RouteId(context);
        var bytes = Store.WithClasses(c => c.Sections.FirstOrDefault(s => s.Id == id && !s.Removed && s.DistrictIndex == district) is { } s
            ? s.ToBytes(Store.DistrictId(s.DistrictIndex)) : null);
        return bytes is null
            ? Responses.ApiError(runtime.Options, context, StatusCodes.Status404NotFound, "Not Found")
            : EnvelopeWriter.WriteSingleAsync(context, w => w.WriteRawValue(bytes, skipInputValidation: true));
    }

    private async Task ListAsync<T>(HttpContext context, IdKind kind, string path, Func<SchoolState, IReadOnlyList<T>> itemsOf,
        Func<T, long> key, Func<T, string> idOf, Func<T, byte[]> json)
    {
        var school = Store.FindSchool(ApiContext.RouteId(context));
        if (school is null || school.DistrictIndex != ApiContext.District(context))
        {
            await Responses.ApiError(runtime.Options, context, StatusCodes.Status404NotFound, "Not Found");
            return;
        }

        var query = ListQuery.Parse(context.Request, runtime.Options.MaxPageSize, out var error);
        var request = query?.ToPageRequest(id => Store.Ids.OrderKey(kind, id), out error, runtime.Options.EndingBeforeLast);
        if (request is not PageRequest pageRequest)
        {
            await Responses.ApiError(runtime.Options, context, error!.Status, error.Message);
            return;
        }

        // The page is taken and serialized under the store lock (sections change under mutations), written outside it.
        var (page, bytes) = Store.WithClasses(_ =>
        {
            var taken = Pager.Take(itemsOf(school), key, static _ => true, pageRequest);
            return (taken, taken.Items.Select(json).ToList());
        });
        var items = page.Items.Select((item, i) => (Id: idOf(item), Json: bytes[i])).ToList();
        await EnvelopeWriter.WriteListAsync(
            context,
            items,
            ApiPaths.VersionOf(context.Request) + path,
            static x => x.Id,
            static (w, x) => w.WriteRawValue(x.Json, skipInputValidation: true),
            PageLinks.For(context.Request, items.Count > 0 ? items[0].Id : null, items.Count > 0 ? items[^1].Id : null, page.HasPrev, page.HasNext, runtime.Options));
    }
}
