using CleverSyncSOS.Credentials;
using CleverSyncSOS.Onboarding;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Onboarding;

public sealed class OnboardingChecklistTests
{
    [Fact]
    public async Task Checklist_passes_for_a_well_onboarded_district_and_names_each_broken_item()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 2));
        await env.OnboardAsync();

        var good = await RunAsync(env);

        Assert.All(good, i => Assert.True(i.Passed, $"{i.Check}: {i.Detail}"));
        Assert.Equal(["Credentials stored", "Token acquisition", "Schools known to Clever", "School database", "School database"], good.Select(i => i.Check));

        var store = env.Services.GetRequiredService<ISecretStore>();
        await store.SetSecretAsync(SecretNames.DistrictClientSecret(SecretNames.DefaultDistrictPrefix(env.District.Id)), "wrong-secret", CancellationToken.None);
        var school = await env.SchoolAsync(env.District.Schools[1].Id);
        await store.SetSecretAsync(school.KeyVaultConnectionStringSecretName!, "Data Source=/proc/nowhere/school.db", CancellationToken.None);

        var bad = await RunAsync(env);

        var token = bad.Single(i => i.Check == "Token acquisition");
        Assert.False(token.Passed);
        Assert.Contains("rejected the credentials", token.Detail);
        Assert.DoesNotContain("wrong-secret", token.Detail);
        Assert.False(bad.Single(i => i.Check == "School database" && i.Subject.Contains(school.CleverSchoolId)).Passed);
        Assert.True(bad.Single(i => i.Check == "School database" && !i.Subject.Contains(school.CleverSchoolId)).Passed);
    }

    private static async Task<IReadOnlyList<ChecklistItem>> RunAsync(SyncTestEnvironment env)
    {
        await using var scope = env.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OnboardingChecklist>().RunAsync(null, CancellationToken.None);
    }
}
