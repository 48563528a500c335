using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleverSyncSOS.Simulator;

/// <summary>Request counters reported by GET /simulator/stats.</summary>
public sealed record SimulatorStats(int TokenRequests, int DataRequests);

/// <summary>Bodies of the /simulator admin endpoints (camelCase JSON; not part of Clever's API).</summary>
internal static class AdminContracts
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public sealed record IdResponse(string Id);

    public sealed record ChangesRequest(int Adds, int Edits, int Removes, int Seed);

    public sealed record KeepFractionRequest(string Role, double Fraction, bool WithEvents);

    public sealed record KeepFractionResponse(int Removed);

    public sealed record SecretResponse(string ClientSecret);

    public sealed record RateLimitRequest(int PerMinute);

    public sealed record LatencyRequest(int Milliseconds);
}
