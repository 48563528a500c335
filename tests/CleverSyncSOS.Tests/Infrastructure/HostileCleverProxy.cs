using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CleverSyncSOS.Tests.Infrastructure;

/// <summary>
/// A Clever-compatible server that does what the simulator should never do: a real HTTP server on 127.0.0.1 that
/// forwards every request to an upstream (the simulator) and lets a test rewrite or replace the answer, drip it,
/// or point its links elsewhere. With no upstream it answers 404 to everything a test does not handle (a bystander
/// host that records what it was sent).
/// </summary>
public sealed class HostileCleverProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(["Transfer-Encoding", "Connection", "Keep-Alive", "Date", "Server"], StringComparer.OrdinalIgnoreCase);

    private readonly HttpClient _upstream;
    private LoopbackServer _server = null!;

    private HostileCleverProxy(HttpClient upstream) => _upstream = upstream;

    /// <summary>What the upstream answered, for the test's rewrite.</summary>
    public sealed record Answer(HttpStatusCode Status, string? ContentType, string Body, IReadOnlyDictionary<string, string> Headers);

    /// <summary>A test's rewrite: null to pass the answer on as it is; true when it wrote the response itself.</summary>
    public delegate Task<bool> Tamper(HttpContext context, Answer answer);

    public Uri BaseUrl => _server.BaseAddress;
    public Uri TokenEndpoint => new(BaseUrl, "oauth/tokens");
    public Uri ApiBaseUrl => new(BaseUrl, "v3.0/");

    /// <summary>Every request received: path and query, and its Authorization header.</summary>
    public ConcurrentQueue<(string PathAndQuery, string Authorization)> Requests { get; } = new();

    public Tamper? Rewrite { get; set; }

    public static async Task<HostileCleverProxy> StartAsync(Uri? upstream, Tamper? rewrite = null)
    {
        var proxy = new HostileCleverProxy(new HttpClient { BaseAddress = upstream }) { Rewrite = rewrite };
        proxy._server = await LoopbackServer.StartAsync(app => app.Run(proxy.HandleAsync));
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var pathAndQuery = context.Request.Path.Value + context.Request.QueryString.Value;
        Requests.Enqueue((pathAndQuery, context.Request.Headers.Authorization.ToString()));
        if (_upstream.BaseAddress is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery.TrimStart('/'));
        if (context.Request.Headers.Authorization.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        }

        HttpResponseMessage response;
        try
        {
            response = await _upstream.SendAsync(request, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            // The upstream dropped the connection: so does the proxy (an answer here would turn a drop into a 500).
            context.Abort();
            return;
        }

        using var _ = response;
        var headers = response.Headers.Where(h => !HopByHop.Contains(h.Key))
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var answer = new Answer(response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync(context.RequestAborted), headers);
        if (Rewrite is { } rewrite && await rewrite(context, answer))
        {
            return;
        }

        await WriteAsync(context, answer);
    }

    /// <summary>Writes an answer (changed or not) as the response.</summary>
    public static async Task WriteAsync(HttpContext context, Answer answer)
    {
        context.Response.StatusCode = (int)answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = answer.ContentType ?? "application/json";
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    /// <summary>Headers now, then the body a byte every 100 ms until the client gives up (or 10 minutes pass).</summary>
    public static async Task DripAsync(HttpContext context, string body)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        try
        {
            for (var i = 0; i < 6000; i++)
            {
                await context.Response.WriteAsync(i < body.Length ? body[i].ToString() : " ", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(100, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client timed out: what is being tested.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _upstream.Dispose();
    }
}
