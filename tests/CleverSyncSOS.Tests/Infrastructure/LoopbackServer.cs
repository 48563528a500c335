using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Tests.Infrastructure;

/// <summary>
/// A small web server a test writes (a crafted Clever, a proxy, a webhook receiver, an OpenID issuer, a fake Key
/// Vault): on 127.0.0.1 at a free port, without logging or the caller's appsettings, quick to stop.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c> (https with <c>listen</c> using TLS), with its trailing slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Builds the server, lets <paramref name="map"/> add its endpoints or middleware, and starts it.</summary>
    /// <param name="listen">Endpoint settings (e.g. <c>UseHttps</c> with a test certificate).</param>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map, Action<ListenOptions>? listen = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LoopbackServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, options => listen?.Invoke(options)));
        // Tests may hold requests open on purpose; they must not stall the end of the test.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LoopbackServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
