namespace CleverSyncSOS.Credentials.KeyVault;

/// <summary>
/// A secret store that caches values. After Clever rejects credentials, callers invalidate them so the next
/// read goes to the store again and a rotated secret is picked up without a restart.
/// </summary>
public interface IRefreshableSecretStore
{
    /// <summary>Makes the next read of <paramref name="name"/> go to the store instead of the cache.</summary>
    void Invalidate(string name);
}
