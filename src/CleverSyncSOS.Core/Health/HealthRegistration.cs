using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Health;

public static class HealthRegistration
{
    /// <summary>
    /// The Clever authentication health check and the background probe that keeps it current; the school databases'
    /// schema check and the background scan that keeps it current.
    /// </summary>
    public static IServiceCollection AddCleverSyncHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<CleverAuthHealthCheck>(CleverAuthHealthCheck.Name, tags: ["clever-auth"]);
        services.AddSingleton<AuthenticationHealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AuthenticationHealthMonitor>());
        services.AddHealthChecks().AddCheck<SchoolSchemaHealthCheck>(SchoolSchemaHealthCheck.Name, tags: ["schema"]);
        services.AddSingleton<SchoolSchemaMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<SchoolSchemaMonitor>());
        return services;
    }
}
