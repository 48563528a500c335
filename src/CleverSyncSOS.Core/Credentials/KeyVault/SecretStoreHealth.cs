namespace CleverSyncSOS.Credentials.KeyVault;

/// <summary>
/// Whether the secret store answered the last time it was asked. <see cref="LastError"/> says why it is unhealthy
/// (it names the store and the failure, never a secret value) and is cleared when the store answers again.
/// Times are UTC.
/// </summary>
public sealed record SecretStoreHealth(bool IsHealthy, DateTime? LastSuccessAt, string? LastError, DateTime? LastCheckedAt);

/// <summary>Something that can report the health of a secret store, for health checks and status pages.</summary>
public interface ISecretStoreHealthSource
{
    SecretStoreHealth Health { get; }
}
