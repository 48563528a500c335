using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Host.OperatorConsole;

/// <summary>The console's short answer page for what is not a Razor page (not found, not allowed, sign-in refused): a title and one line, encoded.</summary>
internal static class StatusPage
{
    public static async Task WriteAsync(HttpResponse response, int statusCode, string title, string text)
    {
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        var encoder = HtmlEncoder.Default;
        await response.WriteAsync(
            $"<!doctype html><html lang=\"en\"><head><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{encoder.Encode(title)} – CleverSyncSOS</title></head>" +
            $"<body><main><h1>{encoder.Encode(title)}</h1><p>{encoder.Encode(text)}</p><p><a href=\"/\">Back to the overview</a></p></main></body></html>");
    }
}
