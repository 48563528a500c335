using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>The data API's version prefixes; v3.1 serves the same paths as v3.0.</summary>
internal static class ApiPaths
{
    public static readonly string[] Versions = ["/v3.0", "/v3.1"];

    public const string Tokens = "/oauth/tokens";

    public static bool IsApi(PathString path) => Versions.Any(v => path.StartsWithSegments(v, StringComparison.OrdinalIgnoreCase));

    /// <summary>"/v3.0" or "/v3.1", whichever the request used, so returned uris stay in the caller's version.</summary>
    public static string VersionOf(HttpRequest request) =>
        Versions.FirstOrDefault(v => request.Path.StartsWithSegments(v, StringComparison.OrdinalIgnoreCase)) ?? Versions[0];
}
