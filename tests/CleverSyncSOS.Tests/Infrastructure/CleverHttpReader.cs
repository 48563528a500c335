using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CleverSyncSOS.Tests.Infrastructure;

/// <summary>
/// Reads what a Clever-compatible server serves, over HTTP, with its own minimal JSON handling: tests compare
/// the databases with this, never with the production client or the simulator's memory.
/// </summary>
public sealed class CleverHttpReader(Uri baseUrl, string clientId, string clientSecret, string districtId, int pageSize = 100) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl };

    public sealed record Person(string Id, string First, string Last, string? Email, string? Grade, string? StudentNumber, string? Title, DateTime? LastModified);

    public async Task<string> GetTokenAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"oauth/tokens?owner_type=district&district={districtId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}")));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").EnumerateArray()
            .First(t => t.GetProperty("owner").GetProperty("id").GetString() == districtId)
            .GetProperty("access_token").GetString()!;
    }

    /// <summary>Every user with <paramref name="role"/> at the school, following the next links.</summary>
    public async Task<IReadOnlyList<Person>> GetSchoolUsersAsync(string schoolId, string role)
    {
        var token = await GetTokenAsync();
        var people = new List<Person>();
        string? next = $"v3.0/schools/{schoolId}/users?role={role}&limit={pageSize}";
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next.StartsWith('/') ? next[1..] : next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var item in json.RootElement.GetProperty("data").EnumerateArray())
            {
                people.Add(ToPerson(item.GetProperty("data"), role));
            }

            next = json.RootElement.GetProperty("data").GetArrayLength() == 0 ? null : json.RootElement.GetProperty("links").EnumerateArray()
                .Where(l => l.GetProperty("rel").GetString() == "next")
                .Select(l => l.GetProperty("uri").GetString())
                .FirstOrDefault();
            // A server's links may carry only the cursor: the role asked for is kept.
            if (next is not null && !next.Contains("role=", StringComparison.Ordinal))
            {
                next += $"&role={role}&limit={pageSize}";
            }
        }

        return people;
    }

    private static Person ToPerson(JsonElement user, string role)
    {
        var roleObject = user.GetProperty("roles").GetProperty(role);
        var name = user.GetProperty("name");
        return new Person(
            user.GetProperty("id").GetString()!,
            name.GetProperty("first").GetString()!,
            name.GetProperty("last").GetString()!,
            Text(user, "email"),
            Text(roleObject, "grade"),
            Text(roleObject, "student_number"),
            Text(roleObject, "title"),
            Text(user, "last_modified") is { } modified ? DateTime.Parse(modified, null, System.Globalization.DateTimeStyles.AdjustToUniversal) : null);
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    public void Dispose() => _http.Dispose();
}
