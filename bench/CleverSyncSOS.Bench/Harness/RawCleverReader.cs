using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// The raw-fetch baseline: a plain HttpClient and a source-generated JSON context over the same pages the
/// service reads (same URLs, same page size, same wire types), with no retries, pacing, mapping or writes.
/// </summary>
public sealed class RawCleverReader : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _token;

    private RawCleverReader(HttpClient http, string token, SimulatedDistrict district)
    {
        _http = http;
        _token = token;
        District = district;
    }

    public SimulatedDistrict District { get; }

    public static async Task<RawCleverReader> ConnectAsync(string simulatorUrl, CancellationToken cancellationToken)
    {
        var http = new HttpClient { BaseAddress = new Uri(simulatorUrl) };
        try
        {
            var district = (await new SimulatorAdminClient(http).GetDistrictsAsync(cancellationToken))[0];
            using var request = new HttpRequestMessage(HttpMethod.Get, $"oauth/tokens?owner_type=district&district={Uri.EscapeDataString(district.Id)}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{district.ClientId}:{district.ClientSecret}")));
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var tokens = await response.Content.ReadFromJsonAsync(CleverPageJson.Default.CleverTokenListResponse, cancellationToken);
            var token = tokens?.Data?.FirstOrDefault(t => t.Owner?.Id == district.Id)?.AccessToken
                        ?? throw new InvalidOperationException("The simulator issued no token for the district.");
            return new RawCleverReader(http, token, district);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Reads every page of the school's users with <paramref name="role"/>; calls <paramref name="onUser"/> per user.</summary>
    public async Task<long> ReadSchoolUsersAsync(string schoolId, string role, int pageSize, Action<CleverUser>? onUser, CancellationToken cancellationToken)
    {
        long count = 0;
        var apiBase = new Uri(_http.BaseAddress!, "v3.0/");
        Uri? next = new(apiBase, $"schools/{Uri.EscapeDataString(schoolId)}/users?role={role}&limit={pageSize}");
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var page = await JsonSerializer.DeserializeAsync(body, CleverPageJson.Default.CleverApiResponseCleverUser, cancellationToken);
            foreach (var item in page?.Data ?? [])
            {
                if (item.Data is { } user)
                {
                    count++;
                    onUser?.Invoke(user);
                }
            }

            next = page?.NextLink is { Length: > 0 } link ? new Uri(apiBase, link) : null;
        }

        return count;
    }

    /// <summary>Students then teachers of one school, as the service reads them.</summary>
    public async Task<long> ReadSchoolAsync(string schoolId, int pageSize, CancellationToken cancellationToken) =>
        await ReadSchoolUsersAsync(schoolId, "student", pageSize, null, cancellationToken)
        + await ReadSchoolUsersAsync(schoolId, "teacher", pageSize, null, cancellationToken);

    /// <summary>
    /// The requests a read of one school's events after <paramref name="cursor"/> takes, as the service read them before
    /// district streams (a look-up of the cursor event, then every page of <c>events?school=</c>): the per-school baseline.
    /// </summary>
    public async Task<int> CountSchoolEventRequestsAsync(string schoolId, string cursor, int pageSize, CancellationToken cancellationToken)
    {
        var apiBase = new Uri(_http.BaseAddress!, "v3.0/");
        var requests = 0;
        Uri? next = new(apiBase, $"events/{Uri.EscapeDataString(cursor)}");
        var first = new Uri(apiBase, $"events?school={Uri.EscapeDataString(schoolId)}&limit={pageSize}&starting_after={Uri.EscapeDataString(cursor)}");
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            using var response = await _http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var isCheck = requests++ == 0;
            next = isCheck ? first
                : page.RootElement.GetProperty("data").GetArrayLength() > 0 && page.RootElement.TryGetProperty("links", out var links)
                  && links.EnumerateArray().FirstOrDefault(l => l.GetProperty("rel").GetString() == "next") is { ValueKind: JsonValueKind.Object } link
                    ? new Uri(apiBase, link.GetProperty("uri").GetString()!)
                    : null;
        }

        return requests;
    }

    public void Dispose() => _http.Dispose();
}
