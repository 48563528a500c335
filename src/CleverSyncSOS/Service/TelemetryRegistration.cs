using CleverSyncSOS.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CleverSyncSOS.Host.Service;

public static class TelemetryRegistration
{
    /// <summary>
    /// OpenTelemetry for the service's Meter and ActivitySource. The exporter is chosen by
    /// <c>CleverSyncSOS:Telemetry:Exporter</c>: none (default), console, or otlp (endpoint from the standard
    /// OTEL_EXPORTER_OTLP_ENDPOINT; Azure Monitor takes OTLP through its collector).
    /// </summary>
    public static IServiceCollection AddCleverSyncTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var exporter = configuration["CleverSyncSOS:Telemetry:Exporter"]?.ToLowerInvariant() ?? "none";
        if (exporter == "none")
        {
            return services;
        }

        services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CleverSyncTelemetry.Name);
                _ = exporter == "otlp" ? metrics.AddOtlpExporter() : metrics.AddConsoleExporter();
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(CleverSyncTelemetry.Name);
                _ = exporter == "otlp" ? tracing.AddOtlpExporter() : tracing.AddConsoleExporter();
            });
        return services;
    }
}
