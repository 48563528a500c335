using System.Net.Http.Headers;
using System.Text;
using CleverSyncSOS.Simulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>
/// GET /oauth/tokens?owner_type=district[&amp;district=id] with Basic client credentials: lists the
/// district-app token of each district the credentials are connected to (one per generated district here).
/// </summary>
internal sealed class TokenEndpoint(SimulatorRuntime runtime)
{
    private static readonly string[] Scopes =
    [
        "read:district_admins", "read:districts", "read:resources", "read:school_admins", "read:schools",
        "read:sections", "read:student_contacts", "read:students", "read:teachers", "read:user_id",
    ];

    public static void Map(IEndpointRouteBuilder routes, SimulatorRuntime runtime) =>
        routes.MapGet(ApiPaths.Tokens, (RequestDelegate)new TokenEndpoint(runtime).HandleAsync);

    private Task HandleAsync(HttpContext context)
    {
        if (ReadBasic(context.Request) is not var (clientId, secret)
            || runtime.Store.DistrictsForCredentials(clientId, secret) is not { Count: > 0 } connected)
        {
            return Responses.TokenError(context, StatusCodes.Status401Unauthorized, "invalid_client", "Client authentication failed: unknown client id or wrong secret.");
        }
        if (context.Request.Query["owner_type"].ToString() != "district")
        {
            return Responses.TokenError(context, StatusCodes.Status400BadRequest, "invalid_request", "owner_type must be 'district'.");
        }

        // One token per connected district. Whether Clever honours a district parameter is not documented: with one
        // application for every district the list holds them all, whatever is asked.
        var only = runtime.Options.OneApplication ? "" : context.Request.Query["district"].ToString();
        var tokens = connected
            .Select(index => runtime.Store.DistrictStates[index])
            .Where(district => only.Length == 0 || only == district.Id)
            .Select(district => (District: district, Token: runtime.Store.Tokens.GetOrMint(district.Index)))
            .ToList();

        return Responses.WriteJson(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var (district, token) in tokens)
            {
                w.WriteStartObject();
                w.WriteString("id", token.Id);
                w.WriteString("created", Data.Timestamps.Format(token.Created));
                w.WriteStartObject("owner");
                w.WriteString("type", "district");
                w.WriteString("id", district.Id);
                w.WriteEndObject();
                w.WriteString("access_token", token.AccessToken);
                w.WriteStartArray("scopes");
                foreach (var scope in Scopes.Where(s => !runtime.Options.Withholds(district.Index, s))) w.WriteStringValue(scope);
                w.WriteEndArray();
                if (runtime.Store.Tokens.SecondsRemaining(token) is int remaining) w.WriteNumber("expires_in", remaining);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("links");
            w.WriteStartObject();
            w.WriteString("rel", "self");
            w.WriteString("uri", PageLinks.SelfOf(context.Request));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static (string ClientId, string Secret)? ReadBasic(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return null;
        }
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon <= 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
