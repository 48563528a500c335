using CleverSyncSOS.Health;
using CleverSyncSOS.Host.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CleverSyncSOS.Host.Service;

/// <summary>The long-running service: the same configuration and composition root as the CLI, plus HTTP endpoints.</summary>
public static class ServiceHost
{
    public static WebApplication Build(CommonSettings settings, string urls, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Configuration.AddInMemoryCollection(settings.ToConfiguration());
        // The service never migrates a school database behind an operator's back: 'cleversync db migrate' does.
        builder.Configuration.AddInMemoryCollection([new(Persistence.DatabaseOptions.AutoMigrateSchoolDatabasesKey, "false")]);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.WebHost.UseUrls(urls);
        CleverSyncHostBuilder.ConfigureLogging(builder.Logging, verbose: true);
        builder.Services.AddHostedService<SessionDbMigrator>(); // first: everything else needs SessionDb
        builder.Services.AddCleverSyncCore(builder.Configuration);
        builder.Services.AddCleverSyncHealth();
        builder.Services.AddCleverSyncTelemetry(builder.Configuration);

        var app = builder.Build();
        app.MapHealthChecks("/health/clever-auth", new HealthCheckOptions
        {
            Predicate = check => check.Name == CleverAuthHealthCheck.Name,
            ResponseWriter = CleverAuthHealthResponse.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        app.MapGet("/health", () => Results.Text("Healthy"));
        return app;
    }
}
