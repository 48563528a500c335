using System.Net.Http.Json;
using System.Text.Json;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Host.Commands;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Service;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Service;

/// <summary><c>serve</c> built by its own composition root, listening on 127.0.0.1, with an API key in the local secret store.</summary>
public sealed class ServeHarness : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789";

    private ServeHarness(WebApplication app, HttpClient http)
    {
        App = app;
        Http = http;
    }

    public WebApplication App { get; }
    public HttpClient Http { get; }

    public static async Task<ServeHarness> StartAsync(SyncTestEnvironment env, Action<Dictionary<string, string?>>? configure = null)
    {
        await env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(ApiOptions.DefaultKeySecretName, ApiKey, CancellationToken.None);
        var overrides = new Dictionary<string, string?>(DemoCommand.PointAt(env.Simulator))
        {
            ["CleverSyncSOS:CleverAuth:HealthCheckIntervalSeconds"] = "1",
            ["CleverSyncSOS:CleverAuth:RetryPolicy:MaxRetries"] = "0",
            ["CleverSyncSOS:CleverApi:PageSize"] = "50",
            ["CleverSyncSOS:Scheduler:HeartbeatSeconds"] = "1",
            ["CleverSyncSOS:Scheduler:InstanceTimeoutSeconds"] = "5",
            ["CleverSyncSOS:Scheduler:HoldRetrySeconds"] = "1",
        };
        configure?.Invoke(overrides);
        var app = ServiceHost.Build(new CommonSettings(env.DataDir, Verbose: false), "http://127.0.0.1:0", overrides);
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        return new ServeHarness(app, http);
    }

    public HttpRequestMessage Authorized(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, ApiKey);
        return request;
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        var response = await Http.SendAsync(Authorized(method, path, body));
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Polls a run until <paramref name="done"/> holds (the run's JSON), or fails with the last answer.</summary>
    public async Task<JsonElement> WaitForRunAsync(string location, Func<JsonElement, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            (_, last) = await SendAsync(HttpMethod.Get, location);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"The run never reached the expected state; last answer: {last}");
    }

    public static bool Completed(JsonElement run) => run.GetProperty("status").GetString() == "Completed";

    public static IEnumerable<string> SchoolStatuses(JsonElement run) =>
        run.GetProperty("schools").EnumerateArray().Select(s => s.GetProperty("status").GetString()!);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
