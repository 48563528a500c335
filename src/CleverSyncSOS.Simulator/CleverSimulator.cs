using System.Net;
using CleverSyncSOS.Simulator.Endpoints;
using CleverSyncSOS.Simulator.Hosting;
using CleverSyncSOS.Simulator.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Simulator;

/// <summary>
/// A Clever API v3.0 simulator on Kestrel, bound to 127.0.0.1 only: the district-app tokens endpoint,
/// the data API (/v3.0 and /v3.1), events, Clever's rate limit, fault injection, and a /simulator admin surface.
/// The same client code runs against it and against real Clever.
/// </summary>
public sealed class CleverSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestCounters _counters;
    private int _stopped;

    private CleverSimulator(WebApplication app, Uri baseUrl, SimulatorStore store, FaultInjector faults, RequestCounters counters)
    {
        _app = app;
        _counters = counters;
        BaseUrl = baseUrl;
        Store = store;
        Faults = faults;
    }

    /// <summary>e.g. http://127.0.0.1:5123/</summary>
    public Uri BaseUrl { get; }

    /// <summary>BaseUrl + "oauth/tokens".</summary>
    public Uri TokenEndpoint => new(BaseUrl, "oauth/tokens");

    /// <summary>BaseUrl + "v3.0/".</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "v3.0/");

    public IReadOnlyList<SimulatedDistrict> Districts => Store.Districts;

    /// <summary>In-process access to the data and its mutations.</summary>
    public SimulatorStore Store { get; }

    /// <summary>In-process fault injection, rate limit and latency.</summary>
    public FaultInjector Faults { get; }

    /// <summary>GET /oauth/tokens requests received (any outcome).</summary>
    public int TokenRequestCount => _counters.Token;

    /// <summary>Data API requests received (any outcome).</summary>
    public int DataRequestCount => _counters.Data;

    /// <summary>Data API requests answered 429 by the rate limit (injected faults not counted).</summary>
    public int RateLimitedCount => _counters.RateLimited;

    /// <summary>Generates the roster and starts listening on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<CleverSimulator> StartAsync(SimulatorOptions options, int port = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        var store = new SimulatorStore(options, TimeProvider.System);
        var rateLimiter = new FixedWindowRateLimiter(options.RateLimitPerMinute, TimeProvider.System, TimeSpan.FromSeconds(options.RateLimitWindowSeconds));
        var faults = new FaultInjector(rateLimiter, options.LatencyMilliseconds);
        var counters = new RequestCounters();

        // Slim builder, no logging: a test fixture should not spam test output or read the caller's appsettings.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(CleverSimulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        // Faults may hold requests open on purpose; don't let them stall shutdown.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));

        var app = builder.Build();
        var runtime = new SimulatorRuntime(options, store, faults, rateLimiter, counters, app.Lifetime.ApplicationStopping);
        app.Use(new RequestGate(runtime).InvokeAsync);
        Endpoints.TokenEndpoint.Map(app, runtime);
        DataEndpoints.Map(app, runtime);
        EventEndpoints.Map(app, runtime);
        ClassEndpoints.Map(app, runtime);
        AdminEndpoints.Map(app, runtime);
        app.MapFallback("{*path}", (RequestDelegate)Responses.NotFoundHtml);

        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new CleverSimulator(app, new Uri(address.TrimEnd('/') + "/"), store, faults, counters);
    }

    /// <summary>
    /// Standalone mode (`cleversync simulator --port N`): starts, prints the endpoints and every district's
    /// client credentials (fake, generated: printing them is the point), and runs until cancelled.
    /// </summary>
    public static async Task RunAsync(SimulatorOptions options, int port, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var simulator = await StartAsync(options, port, ct);
        await output.WriteLineAsync($"Clever simulator listening on {simulator.BaseUrl}");
        await output.WriteLineAsync($"  token endpoint: {simulator.TokenEndpoint}");
        await output.WriteLineAsync($"  API base:       {simulator.ApiBaseUrl}");
        await output.WriteLineAsync($"  admin:          {new Uri(simulator.BaseUrl, "simulator/")}");
        foreach (var district in simulator.Districts)
        {
            await output.WriteLineAsync($"District {district.Name}");
            await output.WriteLineAsync($"  id:            {district.Id}");
            await output.WriteLineAsync($"  client id:     {district.ClientId}");
            await output.WriteLineAsync($"  client secret: {district.ClientSecret}");
            await output.WriteLineAsync($"  schools:       {string.Join(", ", district.Schools.Select(s => $"{s.Name} ({s.Id})"))}");
        }
        await output.FlushAsync(CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // Cancellation is the normal way to stop.
        }
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
