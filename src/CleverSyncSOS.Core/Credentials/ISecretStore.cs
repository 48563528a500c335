namespace CleverSyncSOS.Credentials;

/// <summary>Reads and writes named secrets (Azure Key Vault in production, a local file on a laptop).</summary>
public interface ISecretStore
{
    /// <summary>The secret's current value, or null when it does not exist.</summary>
    Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken);

    Task SetSecretAsync(string name, string value, CancellationToken cancellationToken);
}
