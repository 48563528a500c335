using CleverSyncSOS.Simulator.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace CleverSyncSOS.Simulator.Faults;

/// <summary>Carries out a fired <see cref="FaultRule"/> on the current request.</summary>
internal static class FaultResponder
{
    /// <returns>True when the fault produced the outcome (a response or a dropped connection); false to continue normally.</returns>
    public static async Task<bool> ApplyAsync(HttpContext context, FaultRule rule, CancellationToken stopping)
    {
        if (rule.DelayMilliseconds is > 0 and var delay)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                await Task.Delay(delay, linked.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up (its timeout) or the simulator is stopping: nobody awaits an answer.
                context.Abort();
                return true;
            }
        }

        if (rule.DropConnection)
        {
            context.Abort();
            return true;
        }

        if (rule.StatusCode is null && rule.Body is null) return false;

        foreach (var (name, value) in rule.Headers ?? [])
        {
            context.Response.Headers[name] = value;
        }

        var status = rule.StatusCode ?? StatusCodes.Status200OK;
        var reason = ReasonPhrases.GetReasonPhrase(status);
        if (rule.Body is not null)
        {
            await Responses.Text(context, status, rule.ContentType ?? Responses.Json, rule.Body);
        }
        else if (rule.Target == FaultTarget.Api && status == StatusCodes.Status429TooManyRequests)
        {
            await Responses.Text(context, status, rule.ContentType ?? "text/plain; charset=utf-8", "Too Many Requests");
        }
        else if (rule.Target == FaultTarget.Token)
        {
            await Responses.TokenError(context, status, status >= 500 ? "server_error" : "invalid_request", reason);
        }
        else
        {
            await Responses.Message(context, status, reason);
        }
        return true;
    }
}
