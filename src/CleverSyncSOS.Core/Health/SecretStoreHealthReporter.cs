using CleverSyncSOS.Credentials;
using CleverSyncSOS.Credentials.KeyVault;

namespace CleverSyncSOS.Health;

/// <summary>Reports the configured secret store's health when it has one (Key Vault); the local file store has none.</summary>
public sealed class SecretStoreHealthReporter(ISecretStore store) : ISecretStoreHealthReporter
{
    public SecretStoreHealthReport? Report() => store switch
    {
        KeyVaultSecretStore vault => new SecretStoreHealthReport($"Key Vault {vault.VaultUri}", vault.Health.IsHealthy,
            vault.Health.LastSuccessAt, vault.Health.LastError, vault.Health.LastCheckedAt),
        ISecretStoreHealthSource source => new SecretStoreHealthReport(store.GetType().Name, source.Health.IsHealthy,
            source.Health.LastSuccessAt, source.Health.LastError, source.Health.LastCheckedAt),
        _ => null,
    };
}
