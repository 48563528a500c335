using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.OperatorConsole;

/// <summary>
/// <c>CleverSyncSOS:Proxy</c>: the TLS-terminating reverse proxies <c>serve</c> runs behind. Their <c>X-Forwarded-For</c>,
/// <c>-Proto</c> and <c>-Host</c> are believed, so the console sees the browser's https (Secure cookies, https redirects
/// and OpenID Connect callbacks) and its address; from anyone else these headers are ignored. None configured: none believed.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "CleverSyncSOS:Proxy";

    /// <summary>Addresses of the proxies (e.g. 10.0.0.4).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR notation (e.g. 10.0.0.0/24).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var failures = options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"{ProxyOptions.SectionName}:KnownProxies '{p}' is not an IP address (e.g. 10.0.0.4).")
            .Concat(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
                .Select(n => $"{ProxyOptions.SectionName}:KnownNetworks '{n}' is not a network in CIDR notation (e.g. 10.0.0.0/24)."))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public static class ProxyRegistration
{
    public static IServiceCollection AddCleverSyncProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((o, proxy) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Only the configured proxies: not even loopback is believed by default.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(address));
            }

            foreach (var network in proxy.Value.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>
    /// First in the pipeline, so everything after it (sign-in, cookies, redirects) sees what the browser used. Only when
    /// proxies are configured: the middleware with no known proxy would believe anyone.
    /// </summary>
    public static WebApplication UseCleverSyncProxy(this WebApplication app)
    {
        app.UseWhen(context => context.RequestServices.GetRequiredService<IOptions<ProxyOptions>>().Value.Enabled, proxied => proxied.UseForwardedHeaders());
        return app;
    }
}
