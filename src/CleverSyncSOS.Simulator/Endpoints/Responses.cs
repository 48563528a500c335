using System.Text.Json;
using CleverSyncSOS.Simulator.Data;
using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>The error bodies Clever (and the simulator's synthetic defaults, docs/clever-api.md "Errors") use.</summary>
internal static class Responses
{
    public const string Json = "application/json; charset=utf-8";

    private const string NotFoundPage =
        "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n";

    /// <summary>Data API error: <c>{"message": "..."}</c>.</summary>
    public static Task Message(HttpContext context, int status, string message) =>
        WriteJson(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        });

    /// <summary>A data API error in the shape the options choose: HTML, empty, v1 <c>{"error"}</c> or <c>{"message"}</c>.</summary>
    public static Task ApiError(SimulatorOptions options, HttpContext context, int status, string message) => options.ErrorBodies switch
    {
        ErrorBodyStyle.Html => Text(context, status, "text/html; charset=utf-8",
            $"<!DOCTYPE html>\n<html><head><title>{status} {System.Net.WebUtility.HtmlEncode(message)}</title></head><body><h1>{System.Net.WebUtility.HtmlEncode(message)}</h1></body></html>\n"),
        ErrorBodyStyle.Empty => Status(context, status),
        ErrorBodyStyle.V1 => WriteJson(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        }),
        _ => Message(context, status, message),
    };

    /// <summary>A sign-in page with 200, as some servers answer a token they do not accept.</summary>
    public static Task SignInPage(HttpContext context) =>
        Text(context, StatusCodes.Status200OK, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html><head><title>Clever | Log in</title></head><body><form>Log in</form></body></html>\n");

    private static Task Status(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>Tokens endpoint error: <c>{"error": "...", "error_description": "..."}</c>.</summary>
    public static Task TokenError(HttpContext context, int status, string error, string description) =>
        WriteJson(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error);
            w.WriteString("error_description", description);
            w.WriteEndObject();
        });

    /// <summary>Clever answers unknown paths with an HTML page, not JSON.</summary>
    public static Task NotFoundHtml(HttpContext context) => Text(context, StatusCodes.Status404NotFound, "text/html; charset=utf-8", NotFoundPage);

    public static Task TooManyRequests(HttpContext context) => Text(context, StatusCodes.Status429TooManyRequests, "text/plain; charset=utf-8", "Too Many Requests");

    public static async Task Text(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    public static async Task WriteJson(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = Json;
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, JsonWriting.Options))
        {
            write(writer);
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
