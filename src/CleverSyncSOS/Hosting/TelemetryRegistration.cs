using Azure.Monitor.OpenTelemetry.Exporter;
using CleverSyncSOS.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CleverSyncSOS.Host.Hosting;

public static class TelemetryRegistration
{
    public const string ExporterKey = "CleverSyncSOS:Telemetry:Exporter";
    public const string ApplicationInsightsKey = "CleverSyncSOS:Telemetry:ApplicationInsightsConnectionString";

    /// <summary>
    /// OpenTelemetry for the one CleverSyncSOS Meter and ActivitySource, in every command. <c>Telemetry:Exporter</c> is none
    /// (default), console, or otlp (endpoint from the standard OTEL_EXPORTER_OTLP_* variables); an Application Insights
    /// connection string (<c>Telemetry:ApplicationInsightsConnectionString</c> or APPLICATIONINSIGHTS_CONNECTION_STRING)
    /// adds the Azure Monitor exporter.
    /// </summary>
    public static IServiceCollection AddCleverSyncTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var exporter = configuration[ExporterKey]?.Trim().ToLowerInvariant() ?? "none";
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection("CleverSyncSOS:Telemetry"))
            .Validate(o => o.Exporter is null || o.Exporter.Trim().ToLowerInvariant() is "none" or "console" or "otlp",
                $"{ExporterKey} must be none, console or otlp.")
            .ValidateOnStart();
        var appInsights = configuration[ApplicationInsightsKey] is { Length: > 0 } configured ? configured
            : Environment.GetEnvironmentVariable("APPLICATIONINSIGHTS_CONNECTION_STRING") is { Length: > 0 } fromEnvironment ? fromEnvironment
            : null;
        if (exporter == "none" && appInsights is null)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CleverSyncTelemetry.Name);
                _ = exporter switch
                {
                    "otlp" => metrics.AddOtlpExporter(),
                    "console" => metrics.AddConsoleExporter(),
                    _ => metrics,
                };
                if (appInsights is not null)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = appInsights);
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(CleverSyncTelemetry.Name);
                _ = exporter switch
                {
                    "otlp" => tracing.AddOtlpExporter(),
                    "console" => tracing.AddConsoleExporter(),
                    _ => tracing,
                };
                if (appInsights is not null)
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = appInsights);
                }
            });
        return services;
    }

    /// <summary>
    /// A CLI command's host is built but never started, so the providers are created here; disposing the host flushes them.
    /// </summary>
    public static void StartTelemetry(IServiceProvider services)
    {
        _ = services.GetService<TracerProvider>();
        _ = services.GetService<MeterProvider>();
    }
}

/// <summary><c>CleverSyncSOS:Telemetry</c>, bound only to be validated at start.</summary>
public sealed class TelemetryOptions
{
    public string? Exporter { get; set; }
    public string? ApplicationInsightsConnectionString { get; set; }
}
