using System.Text.RegularExpressions;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>
/// A Clever-compatible server in front of the simulator that takes the other reading of what Clever leaves
/// unconfirmed: its <c>next</c> links carry the cursor but drop <c>role</c>, and past the first page it ignores
/// <c>role</c> even when the client puts it back, so the pages after the first list every user of the school.
/// </summary>
public sealed partial class LinkRewritingProxy : IAsyncDisposable
{
    private readonly HttpClient _upstream = new();
    private LoopbackServer _server = null!;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The simulator's API base (set once it has started).</summary>
    public Uri? Upstream { get; set; }

    public static async Task<LinkRewritingProxy> StartAsync()
    {
        var proxy = new LinkRewritingProxy();
        proxy._server = await LoopbackServer.StartAsync(app => app.Run(proxy.ForwardAsync));
        proxy.BaseUrl = new Uri(proxy._server.BaseAddress, "v3.0/");
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var query = context.Request.QueryString.Value ?? "";
        if (query.Contains("starting_after=", StringComparison.Ordinal))
        {
            query = RoleInQuery().Replace(query, "$1");
        }

        var upstream = new Uri(Upstream!, "/" + context.Request.Path.Value!.TrimStart('/') + query);
        using var request = new HttpRequestMessage(HttpMethod.Get, upstream);
        request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        using var response = await _upstream.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Where(h => h.Key.StartsWith("X-Ratelimit", StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        var body = await response.Content.ReadAsStringAsync(context.RequestAborted);
        await context.Response.WriteAsync(RoleParameter().Replace(body, "$1"), context.RequestAborted);
    }

    // role=... inside a link's uri, with the & that follows it.
    [GeneratedRegex("(\"uri\"\\s*:\\s*\"[^\"]*?)role=[a-z_]+&?")]
    private static partial Regex RoleParameter();

    // role=... in a query string, keeping the separator before it.
    [GeneratedRegex("([?&])role=[a-z_]+&?")]
    private static partial Regex RoleInQuery();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _upstream.Dispose();
    }
}
