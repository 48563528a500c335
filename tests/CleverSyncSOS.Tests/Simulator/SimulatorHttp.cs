using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Tests.Simulator;

/// <summary>A raw HTTP response read for assertions (body parsed only when it is JSON).</summary>
internal sealed record ApiResponse(HttpStatusCode Status, HttpResponseHeaders Headers, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? values.Single() : null;
}

/// <summary>Talks to a running simulator the way a Clever client would: plain HTTP and JsonDocument.</summary>
internal static class SimulatorHttp
{
    public static HttpClient Client(CleverSimulator simulator, TimeSpan? timeout = null) =>
        new() { BaseAddress = simulator.BaseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    public static Task<ApiResponse> GetTokensAsync(HttpClient http, string clientId, string clientSecret, string query = "?owner_type=district")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "oauth/tokens" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}")));
        return SendAsync(http, request);
    }

    public static async Task<string> GetTokenAsync(HttpClient http, SimulatedDistrict district)
    {
        var response = await GetTokensAsync(http, district.ClientId, district.ClientSecret);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json.GetProperty("data")[0].GetProperty("access_token").GetString()!;
    }

    /// <param name="pathAndQuery">Relative to the base URL, with or without a leading slash (links are absolute paths).</param>
    public static Task<ApiResponse> GetAsync(HttpClient http, string pathAndQuery, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery.TrimStart('/'));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return SendAsync(http, request);
    }

    /// <summary>Follows rel=next from <paramref name="firstPage"/> to the end; returns every item's data object.</summary>
    public static async Task<(List<JsonElement> Items, int Pages)> GetAllAsync(HttpClient http, string firstPage, string token)
    {
        var items = new List<JsonElement>();
        var pages = 0;
        string? next = firstPage;
        while (next is not null)
        {
            var response = await GetAsync(http, next, token);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            pages++;
            var json = response.Json;
            items.AddRange(json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("data")));
            next = Link(json, "next");
            Assert.True(pages < 10_000, "paging did not terminate");
        }
        return (items, pages);
    }

    public static string? Link(JsonElement envelope, string rel) =>
        envelope.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == rel).Select(l => l.GetProperty("uri").GetString()).SingleOrDefault();

    public static List<string> Ids(JsonElement envelope) =>
        envelope.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("data").GetProperty("id").GetString()!).ToList();

    private static async Task<ApiResponse> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            return new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers.ContentType?.ToString(), body);
        }
    }
}
