using System.Globalization;
using CleverSyncSOS.Simulator.Endpoints;
using CleverSyncSOS.Simulator.Faults;
using CleverSyncSOS.Simulator.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Simulator.Hosting;

/// <summary>
/// Runs before every endpoint. Tokens endpoint: count, faults. Data API, in this order: count, latency,
/// rate limit (headers on every response, 429 when spent), faults, bearer authentication (401), the token's scopes (403).
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
        WriteRateLimitHeaders(context.Response.Headers, decision, runtime.Options.RateLimitHeaders);
        if (!decision.Allowed)
        {
            runtime.Counters.CountRateLimited();
            await Responses.TooManyRequests(context);
            return;
        }

        if (await TryFaultAsync(context, FaultTarget.Api)) return;

        if (bearer is null || runtime.Store.Tokens.Authenticate(bearer) is not int district)
        {
            await (runtime.Options.DeadToken switch
            {
                DeadTokenAnswer.Forbidden => Responses.ApiError(runtime.Options, context, StatusCodes.Status403Forbidden, "Forbidden"),
                DeadTokenAnswer.HtmlPage => Responses.SignInPage(context),
                _ => Responses.ApiError(runtime.Options, context, StatusCodes.Status401Unauthorized, "Unauthorized"),
            });
            return;
        }

        if (runtime.Options.RejectUnknownQueryParameters
            && ListQuery.UnknownParameter(context.Request, path.Value!.Contains("/events", StringComparison.OrdinalIgnoreCase)) is { } unknown)
        {
            await Responses.ApiError(runtime.Options, context, StatusCodes.Status400BadRequest, $"unknown parameter {unknown}");
            return;
        }
        if (ScopeNeeded(context.Request) is { } scope && runtime.Options.Withholds(district, scope))
        {
            await Responses.ApiError(runtime.Options, context, StatusCodes.Status403Forbidden, $"Forbidden: the token lacks the {scope} scope");
            return;
        }

        ApiContext.SetDistrict(context, district);
        await next(context);
    }

    /// <summary>The scope a data request needs beyond the token itself: a role's users, or classes.</summary>
    private static string? ScopeNeeded(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (path.Contains("/sections", StringComparison.OrdinalIgnoreCase) || path.Contains("/courses", StringComparison.OrdinalIgnoreCase)
            || path.Contains("/terms", StringComparison.OrdinalIgnoreCase))
        {
            return "read:sections";
        }

        return path.Contains("/users", StringComparison.OrdinalIgnoreCase) ? request.Query["role"].ToString() switch
        {
            "student" => "read:students",
            "teacher" => "read:teachers",
            _ => null,
        } : null;
    }

    private static void WriteRateLimitHeaders(IHeaderDictionary headers, RateLimitDecision decision, RateLimitHeaderStyle style)
    {
        var limit = decision.Limit.ToString(CultureInfo.InvariantCulture);
        var remaining = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        var reset = decision.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
        switch (style)
        {
            case RateLimitHeaderStyle.BearerBucket:
                headers["X-Ratelimit-Bucket"] = "bearer";
                headers["X-Ratelimit-Limit"] = limit;
                headers["X-Ratelimit-Remaining"] = remaining;
                headers["X-Ratelimit-Reset"] = reset;
                break;
            case RateLimitHeaderStyle.SeveralBuckets:
                // A roomy district-wide bucket first, the token's own second: pacing on the first runs into 429s.
                var district = (decision.Limit * 10L).ToString(CultureInfo.InvariantCulture);
                headers["X-Ratelimit-Bucket"] = "district, bearer";
                headers["X-Ratelimit-Limit"] = district + ", " + limit;
                headers["X-Ratelimit-Remaining"] = district + ", " + remaining;
                headers["X-Ratelimit-Reset"] = reset + ", " + reset;
                break;
        }
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
