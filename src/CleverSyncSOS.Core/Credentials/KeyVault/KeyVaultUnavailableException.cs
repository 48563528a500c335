namespace CleverSyncSOS.Credentials.KeyVault;

/// <summary>
/// Key Vault could not be reached and there was no cached value to fall back on. The message names the secret and
/// the vault, never a value.
/// </summary>
public sealed class KeyVaultUnavailableException : Exception
{
    private KeyVaultUnavailableException(string secretName, string vaultUri, string message, Exception innerException)
        : base(message, innerException)
    {
        SecretName = secretName;
        VaultUri = vaultUri;
    }

    public string SecretName { get; }

    public string VaultUri { get; }

    internal static KeyVaultUnavailableException ForRead(string secretName, string vaultUri, string reason, Exception innerException) =>
        new(secretName, vaultUri,
            $"The secret '{secretName}' could not be read: Key Vault {vaultUri} is unreachable ({reason}) and no cached value exists.",
            innerException);

    internal static KeyVaultUnavailableException ForWrite(string secretName, string vaultUri, string reason, Exception innerException) =>
        new(secretName, vaultUri,
            $"The secret '{secretName}' could not be written: Key Vault {vaultUri} is unreachable ({reason}).",
            innerException);
}
