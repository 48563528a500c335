using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Fleet;

/// <summary>The fleet operations: listing, lifecycle flags, schema versions, the secret inventory.</summary>
public static class FleetRegistration
{
    public static IServiceCollection AddCleverSyncFleet(this IServiceCollection services)
    {
        services.AddSingleton<FleetDirectory>();
        services.AddSingleton<FleetLifecycle>();
        services.AddSingleton<DatabaseFleet>();
        services.AddSingleton<SecretInventory>();
        services.AddScoped<Onboarding.DistrictEnrollment>();
        return services;
    }
}
