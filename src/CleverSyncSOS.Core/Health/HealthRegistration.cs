using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Health;

public static class HealthRegistration
{
    /// <summary>The Clever authentication health check and the background probe that keeps it current.</summary>
    public static IServiceCollection AddCleverSyncHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<CleverAuthHealthCheck>(CleverAuthHealthCheck.Name, tags: ["clever-auth"]);
        services.AddSingleton<AuthenticationHealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AuthenticationHealthMonitor>());
        return services;
    }
}
