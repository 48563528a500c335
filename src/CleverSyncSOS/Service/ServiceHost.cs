using CleverSyncSOS.Health;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.OperatorConsole;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Host.Service.Health;
using CleverSyncSOS.Host.Service.Scheduling;
using CleverSyncSOS.Runs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace CleverSyncSOS.Host.Service;

/// <summary>
/// The long-running service: the same configuration and composition root as the CLI, plus the scheduler, the
/// authenticated <c>/api</c> and the health endpoints.
/// </summary>
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
        var services = builder.Services;
        services.AddHostedService<SessionDbMigrator>(); // first: everything else needs SessionDb
        services.AddCleverSyncCore(builder.Configuration);
        services.AddHostedService<InstanceLifetime>();
        services.AddCleverSyncHealth();
        services.AddCleverSyncTelemetry(builder.Configuration);
        services.AddCleverSyncScheduling(builder.Configuration);
        services.AddCleverSyncApi(builder.Configuration);
        services.AddCleverSyncConsole(builder.Configuration);
        services.AddCleverSyncProxy(builder.Configuration);
        AddHealthChecks(services);

        // Running syncs get their grace period, then are cancelled; the host waits for them to record it.
        var grace = builder.Configuration.GetSection(SchedulerOptions.SectionName).Get<SchedulerOptions>()?.ShutdownGraceSeconds ?? new SchedulerOptions().ShutdownGraceSeconds;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(grace + 30));

        var app = builder.Build();
        app.UseCleverSyncProxy();
        app.UseExceptionHandler();
        app.UseAuthentication();
        app.UseAuthorization();
        MapHealth(app);
        app.MapSyncApi();
        app.MapCleverSyncConsole();
        return app;
    }

    private static void AddHealthChecks(IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<SessionDbHealthCheck>(SessionDbHealthCheck.Name, tags: ["ready"])
            .AddCheck<SecretStoreReadableHealthCheck>(SecretStoreReadableHealthCheck.Name, tags: ["ready"])
            .AddQuartz(o =>
            {
                o.Name = "scheduler";
                o.Tags.Add("ready");
            })
            .AddCheck<SchoolFreshnessHealthCheck>(SchoolFreshnessHealthCheck.Name, tags: ["freshness"]);

    private static void MapHealth(WebApplication app)
    {
        var codes = new Dictionary<HealthStatus, int>
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        };
        HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate, Func<HttpContext, HealthReport, Task> writer) =>
            new() { Predicate = predicate, ResponseWriter = writer, ResultStatusCodes = codes };

        app.MapHealthChecks("/health/clever-auth", Options(c => c.Name == CleverAuthHealthCheck.Name, CleverAuthHealthResponse.WriteAsync));
        app.MapHealthChecks("/health/live", Options(_ => false, HealthJsonResponse.WriteAsync));
        app.MapHealthChecks("/health/ready", Options(c => c.Tags.Contains("ready"), HealthJsonResponse.WriteAsync));
        app.MapHealthChecks("/health", Options(_ => true, HealthJsonResponse.WriteAsync));
    }

    private static IServiceCollection AddCleverSyncApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddSingleton<RunViews>();
        services.AddSingleton<SchoolChanges>();
        services.AddProblemDetails();
        var api = configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>() ?? new ApiOptions();
        var authentication = services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        string[] schemes = [ApiKeyAuthenticationHandler.SchemeName];
        if (!string.IsNullOrEmpty(api.JwtAuthority))
        {
            authentication.AddJwtBearer(o =>
            {
                o.Authority = api.JwtAuthority;
                o.Audience = api.JwtAudience;
                o.MapInboundClaims = false;
                o.RequireHttpsMetadata = !Uri.TryCreate(api.JwtAuthority, UriKind.Absolute, out var authority) || ApiOptions.RequiresHttpsMetadata(authority);
                o.Events = new JwtBearerEvents { OnTokenValidated = context => ApiJwtCallers.LimitToDistricts(context, api.JwtDistrictClaim) };
            });
            schemes = [.. schemes, JwtBearerDefaults.AuthenticationScheme];
        }

        services.AddAuthorizationBuilder().AddPolicy(SyncApi.Policy, p => p.AddAuthenticationSchemes(schemes).RequireAuthenticatedUser());
        return services;
    }
}
