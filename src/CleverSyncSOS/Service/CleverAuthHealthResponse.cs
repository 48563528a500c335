using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleverSyncSOS.Host.Service;

/// <summary>
/// Writes <c>/health/clever-auth</c> as JSON: the overall status and, per district, the seed's
/// AuthenticationHealthStatus fields (IsHealthy, LastSuccessTimestamp, LastErrorMessage, ErrorCount, LastCheckedAt).
/// </summary>
public static class CleverAuthHealthResponse
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var entry = report.Entries.Values.FirstOrDefault();
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["description"] = entry.Description,
            ["checkedAt"] = DateTime.UtcNow,
        };
        foreach (var (key, value) in entry.Data ?? new Dictionary<string, object>())
        {
            body[key] = value;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
