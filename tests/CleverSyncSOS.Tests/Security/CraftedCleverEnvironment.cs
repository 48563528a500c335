using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Onboarding;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Security;

/// <summary>The real service (SQLite or PostgreSQL) pointed at a <see cref="CraftedClever"/> with events off.</summary>
public static class CraftedCleverEnvironment
{
    public static Task<SyncTestEnvironment> StartAsync(CraftedClever clever, DatabaseProvider provider = DatabaseProvider.Sqlite,
        Action<Dictionary<string, string?>>? configure = null) =>
        SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 1, teachers: 1, schools: 1), settings =>
        {
            settings[$"{CleverAuthConfiguration.SectionName}:TokenEndpoint"] = clever.TokenEndpoint.ToString();
            settings[$"{CleverApiOptions.SectionName}:BaseUrl"] = clever.ApiBaseUrl.ToString();
            settings[$"{SyncOptions.SectionName}:UseEvents"] = "false";
            configure?.Invoke(settings);
        }, provider: provider);

    /// <summary>Stores the crafted district's credentials and onboards it, as an operator would.</summary>
    public static async Task OnboardDistrictAsync(SyncTestEnvironment env)
    {
        var secrets = env.Services.GetRequiredService<ISecretStore>();
        var prefix = SecretNames.DefaultDistrictPrefix(CraftedClever.DistrictId);
        await secrets.SetSecretAsync(SecretNames.DistrictClientId(prefix), CraftedClever.ClientId, CancellationToken.None);
        await secrets.SetSecretAsync(SecretNames.DistrictClientSecret(prefix), CraftedClever.ClientSecret, CancellationToken.None);
        await using var scope = env.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OnboardingService>().AddDistrictAsync(CraftedClever.DistrictId, "Crafted USD", null, CancellationToken.None);
    }

    public static async Task AddSchoolAsync(SyncTestEnvironment env, string cleverSchoolId, string name)
    {
        await using var scope = env.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OnboardingService>().AddSchoolAsync(CraftedClever.DistrictId, cleverSchoolId, name, CancellationToken.None);
    }
}
