using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static CleverSyncSOS.Simulator.AdminContracts;

namespace CleverSyncSOS.Simulator;

/// <summary>Typed client for the simulator's /simulator admin endpoints (tests and the CLI).</summary>
public sealed class SimulatorAdminClient
{
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;

    /// <summary>Uses <paramref name="http"/>'s BaseAddress as the simulator's base URL.</summary>
    public SimulatorAdminClient(HttpClient http)
        : this(http, http?.BaseAddress ?? throw new ArgumentException("HttpClient.BaseAddress must be the simulator's base URL.", nameof(http)))
    {
    }

    public SimulatorAdminClient(HttpClient http, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        _http = http;
        _baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
    }

    public async Task<IReadOnlyList<SimulatedDistrict>> GetDistrictsAsync(CancellationToken ct = default) =>
        await _http.GetFromJsonAsync<List<SimulatedDistrict>>(Url("simulator/districts"), AdminContracts.Json, ct) ?? [];

    /// <summary>Stores a raw user (see <see cref="SimulatorStore.AddUser"/>) and returns its id.</summary>
    public async Task<string> AddUserAsync(JsonObject user, CancellationToken ct = default) =>
        (await SendAsync<IdResponse>(HttpMethod.Post, "simulator/users", user, ct)).Id;

    public async Task<string> AddStudentAsync(string schoolId, CancellationToken ct = default) =>
        (await SendAsync<IdResponse>(HttpMethod.Post, $"simulator/schools/{schoolId}/students", null, ct)).Id;

    public async Task<string> AddTeacherAsync(string schoolId, CancellationToken ct = default) =>
        (await SendAsync<IdResponse>(HttpMethod.Post, $"simulator/schools/{schoolId}/teachers", null, ct)).Id;

    /// <summary>Deep-merges the patch into the user; false when there is no such user.</summary>
    public Task<bool> UpdateUserAsync(string id, JsonObject patch, CancellationToken ct = default) =>
        SendFoundAsync(HttpMethod.Patch, $"simulator/users/{id}", patch, ct);

    /// <summary>Removes the user; false when there is no such user.</summary>
    public Task<bool> RemoveUserAsync(string id, CancellationToken ct = default) =>
        SendFoundAsync(HttpMethod.Delete, $"simulator/users/{id}", null, ct);

    public Task<RandomChangeResult> ApplyRandomChangesAsync(string schoolId, int adds, int edits, int removes, int seed, CancellationToken ct = default) =>
        SendAsync<RandomChangeResult>(HttpMethod.Post, $"simulator/schools/{schoolId}/changes", new ChangesRequest(adds, edits, removes, seed), ct);

    /// <summary>Mass unshare; returns how many users were removed.</summary>
    public async Task<int> KeepOnlyFractionAsync(string schoolId, string role, double fraction, bool withEvents, CancellationToken ct = default) =>
        (await SendAsync<KeepFractionResponse>(HttpMethod.Post, $"simulator/schools/{schoolId}/keep-fraction", new KeepFractionRequest(role, fraction, withEvents), ct)).Removed;

    public Task RevokeTokensAsync(string districtId, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"simulator/districts/{districtId}/revoke-tokens", null, ct);

    /// <summary>Returns the new client secret.</summary>
    public async Task<string> RotateCredentialsAsync(string districtId, CancellationToken ct = default) =>
        (await SendAsync<SecretResponse>(HttpMethod.Post, $"simulator/districts/{districtId}/rotate-credentials", null, ct)).ClientSecret;

    public Task ExpireEventsAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Post, "simulator/events/expire", null, ct);

    public Task AddFaultAsync(FaultRule rule, CancellationToken ct = default) => SendAsync(HttpMethod.Post, "simulator/faults", rule, ct);

    public Task ClearFaultsAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Delete, "simulator/faults", null, ct);

    public Task SetRateLimitAsync(int perMinute, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Put, "simulator/rate-limit", new RateLimitRequest(perMinute), ct);

    public Task SetLatencyAsync(int milliseconds, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Put, "simulator/latency", new LatencyRequest(milliseconds), ct);

    public async Task<SimulatorStats> GetStatsAsync(CancellationToken ct = default) =>
        await _http.GetFromJsonAsync<SimulatorStats>(Url("simulator/stats"), AdminContracts.Json, ct)
        ?? throw new InvalidOperationException("Empty stats response.");

    private Uri Url(string relative) => new(_baseUrl, relative);

    private async Task<HttpResponseMessage> RawAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, Url(path));
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: AdminContracts.Json);
        return await _http.SendAsync(request, ct);
    }

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var response = await RawAsync(method, path, body, ct);
        await EnsureSuccessAsync(response, ct);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var response = await RawAsync(method, path, body, ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<T>(AdminContracts.Json, ct) ?? throw new InvalidOperationException($"Empty response from {path}.");
    }

    private async Task<bool> SendFoundAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var response = await RawAsync(method, path, body, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, ct);
        return true;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var detail = await response.Content.ReadAsStringAsync(ct);
        throw new HttpRequestException($"Simulator admin call failed: {(int)response.StatusCode} {detail}", null, response.StatusCode);
    }
}
