using System.Text.Json.Nodes;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Tests.Security;

/// <summary>
/// A small Clever-compatible server on 127.0.0.1 whose school ids are chosen by the test (the simulator only makes
/// ObjectIds): the district-token endpoint, <c>/v3.0/schools</c> and each school's students and teachers.
/// Events are not served; tests turn them off.
/// </summary>
public sealed class CraftedClever : IAsyncDisposable
{
    public const string DistrictId = "65d0000000000000000000c1";
    public const string ClientId = "crafted-client";
    public const string ClientSecret = "crafted-secret-value";
    private const string Token = "crafted-district-token";

    private readonly Dictionary<string, int> _students;
    private readonly IReadOnlyList<(string Id, string Name)> _schools;
    private LoopbackServer? _server;

    private CraftedClever(IReadOnlyList<(string Id, string Name)> schools, Dictionary<string, int> students)
    {
        _schools = schools;
        _students = students;
    }

    public Uri TokenEndpoint { get; private set; } = null!;
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>Serves each school with the given number of students (ids unique per school) and one teacher.</summary>
    public static async Task<CraftedClever> StartAsync(params (string Id, string Name, int Students)[] schools)
    {
        var server = new CraftedClever(schools.Select(s => (s.Id, s.Name)).ToList(), schools.ToDictionary(s => s.Id, s => s.Students, StringComparer.Ordinal));
        server._server = await LoopbackServer.StartAsync(app => server.Map(app));
        server.TokenEndpoint = new Uri(server._server.BaseAddress, "/oauth/tokens");
        server.ApiBaseUrl = new Uri(server._server.BaseAddress, "/v3.0/");
        return server;
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/oauth/tokens", (HttpRequest request) => request.Headers.Authorization.ToString() == BasicAuth
            ? Results.Text(new JsonObject
            {
                ["data"] = new JsonArray(new JsonObject
                {
                    ["access_token"] = Token,
                    ["scopes"] = new JsonArray("read:students", "read:teachers", "read:sections"),
                    ["owner"] = new JsonObject { ["type"] = "district", ["id"] = DistrictId },
                }),
            }.ToJsonString(), "application/json")
            : Results.Json(new { error = "invalid_client" }, statusCode: 401));
        app.MapGet("/v3.0/schools", () => List(_schools.Select(s => new JsonObject { ["id"] = s.Id, ["name"] = s.Name, ["district"] = DistrictId })));
        // Routing leaves %2F encoded in a route value: decode it as Clever would see the id.
        app.MapGet("/v3.0/schools/{id}/users", (string id, string role) => Users(Uri.UnescapeDataString(id), role));
        // No classes are rostered at these schools: an empty list each, as Clever answers.
        app.MapGet("/v3.0/schools/{id}/sections", () => List([]));
        app.MapGet("/v3.0/schools/{id}/courses", () => List([]));
        app.MapGet("/v3.0/schools/{id}/terms", () => List([]));
    }

    private static string BasicAuth => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));

    /// <summary>Student ids of a school as this server serves them.</summary>
    public IReadOnlyList<string> StudentIds(string schoolId) =>
        Enumerable.Range(1, _students[schoolId]).Select(n => $"{Key(schoolId)}s{n:D4}").ToList();

    public void SetStudents(string schoolId, int count) => _students[schoolId] = count;

    private IResult Users(string schoolId, string role)
    {
        if (!_students.ContainsKey(schoolId))
        {
            return Results.Json(new { error = "Resource not found" }, statusCode: 404);
        }

        var ids = role == "student" ? StudentIds(schoolId) : [$"{Key(schoolId)}t0001"];
        return List(ids.Select(id => new JsonObject
        {
            ["id"] = id,
            ["district"] = DistrictId,
            ["name"] = new JsonObject { ["first"] = "First", ["last"] = id },
            ["email"] = $"{id}@example.org",
            ["last_modified"] = "2026-09-01T08:00:00.000Z",
            ["roles"] = new JsonObject { [role] = new JsonObject { ["school"] = schoolId, ["schools"] = new JsonArray(schoolId) } },
        }));
    }

    // User ids must differ between schools whose ids differ only in case or punctuation.
    private string Key(string schoolId) => $"u{_schools.Select((s, i) => (s.Id, i)).Single(s => s.Id == schoolId).i:D2}";

    private static IResult List(IEnumerable<JsonObject> items) => Results.Text(new JsonObject
    {
        ["data"] = new JsonArray(items.Select(item => (JsonNode)new JsonObject { ["data"] = item }).ToArray()),
        ["links"] = new JsonArray(),
    }.ToJsonString(), "application/json");

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
