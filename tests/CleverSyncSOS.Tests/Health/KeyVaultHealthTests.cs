using CleverSyncSOS.Credentials;
using CleverSyncSOS.Credentials.KeyVault;
using CleverSyncSOS.Health;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Tests.Credentials;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Tests.Health;

public sealed class KeyVaultHealthTests
{
    [Fact]
    public async Task During_a_Key_Vault_outage_the_sync_runs_on_cached_secrets_and_health_reports_it()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1), s =>
        {
            s["CleverSyncSOS:Secrets:Provider"] = "KeyVault";
            s["CleverSyncSOS:Secrets:VaultUri"] = vault.VaultUri.ToString();
            s["CleverSyncSOS:Secrets:CacheSeconds"] = "0";
        }, services: s => s.Replace(ServiceDescriptor.Singleton(sp => new KeyVaultSecretStore(vault.CreateClient(),
            sp.GetRequiredService<IOptions<SecretStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<KeyVaultSecretStore>>()))));
        await env.OnboardAsync();
        Assert.NotNull(vault.GetSecret(SecretNames.DistrictClientSecret(SecretNames.DefaultDistrictPrefix(env.District.Id))));
        Assert.Equal(SyncStatus.Success, Assert.Single(await env.SyncAsync()).Status);

        vault.Outage = true;
        env.Simulator.Store.AddStudent(env.District.Schools[0].Id);
        var during = Assert.Single(await env.SyncAsync(new CleverSyncSOS.Sync.SyncRequest(ForceFull: true)));

        Assert.Equal(SyncStatus.Success, during.Status);
        var check = ActivatorUtilities.CreateInstance<CleverAuthHealthCheck>(env.Services);
        var report = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, report.Status);
        var store = Assert.Single((IEnumerable<SecretStoreHealthReport>)report.Data["secretStores"]);
        Assert.False(store.IsHealthy);
        Assert.Contains(vault.VaultUri.Host, store.LastError);
        Assert.Contains(env.Logs.Lines, l => l.StartsWith("Warning") && l.Contains("Key Vault"));
    }
}
