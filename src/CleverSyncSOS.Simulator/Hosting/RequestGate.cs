using System.Globalization;
using CleverSyncSOS.Simulator.Endpoints;
using CleverSyncSOS.Simulator.Faults;
using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Simulator.Hosting;

/// <summary>
/// Runs before every endpoint. Tokens endpoint: count, faults. Data API, in this order: count, latency,
/// rate limit (headers on every response, 429 when spent), faults, bearer authentication (401).
/// </summary>
internal sealed class RequestGate(SimulatorRuntime runtime)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(ApiPaths.Tokens, StringComparison.OrdinalIgnoreCase))
        {
            runtime.Counters.CountToken();
            if (await TryFaultAsync(context, FaultTarget.Token)) return;
            await next(context);
            return;
        }
        if (!ApiPaths.IsApi(path))
        {
            await next(context);
            return;
        }

        runtime.Counters.CountData();
        var latency = runtime.Faults.LatencyMilliseconds;
        if (latency > 0)
        {
            try
            {
                await Task.Delay(latency, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var bearer = BearerToken(context.Request);
        var decision = runtime.RateLimiter.Acquire(bearer ?? "");
        var headers = context.Response.Headers;
        headers["X-Ratelimit-Bucket"] = "bearer";
        headers["X-Ratelimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-Ratelimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-Ratelimit-Reset"] = decision.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed)
        {
            await Responses.TooManyRequests(context);
            return;
        }

        if (await TryFaultAsync(context, FaultTarget.Api)) return;

        if (bearer is null || runtime.Store.Tokens.Authenticate(bearer) is not int district)
        {
            await Responses.Message(context, StatusCodes.Status401Unauthorized, "Unauthorized");
            return;
        }
        ApiContext.SetDistrict(context, district);
        await next(context);
    }

    private async Task<bool> TryFaultAsync(HttpContext context, FaultTarget target)
    {
        var rule = runtime.Faults.Match(target, context.Request.Path.Value + context.Request.QueryString.Value);
        return rule is not null && await FaultResponder.ApplyAsync(context, rule, runtime.Stopping);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[scheme.Length..].Trim();
        return token.Length > 0 ? token : null;
    }
}
