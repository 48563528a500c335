using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>Carries the district the request's bearer token was issued for, set by the request gate.</summary>
internal static class ApiContext
{
    private static readonly object DistrictKey = new();

    public static void SetDistrict(HttpContext context, int districtIndex) => context.Items[DistrictKey] = districtIndex;

    public static int District(HttpContext context) =>
        context.Items[DistrictKey] is int index ? index : throw new InvalidOperationException("Request was not authenticated by the gate.");

    public static string RouteId(HttpContext context) => context.Request.RouteValues["id"] as string ?? "";
}
