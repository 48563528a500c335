using System.ComponentModel.DataAnnotations;

namespace CleverSyncSOS.Credentials;

public enum SecretStoreProvider
{
    Local,
    KeyVault,
}

/// <summary>Bound from <c>CleverSyncSOS:Secrets</c>.</summary>
public sealed class SecretStoreOptions
{
    public const string SectionName = "CleverSyncSOS:Secrets";

    public SecretStoreProvider Provider { get; set; } = SecretStoreProvider.Local;

    /// <summary>File of the local store; default <c>{DataDir}/secrets.json</c>.</summary>
    public string? LocalPath { get; set; }

    /// <summary>Key Vault URI, required when <see cref="Provider"/> is KeyVault.</summary>
    public string? VaultUri { get; set; }

    [Range(0, 86_400)]
    public int CacheSeconds { get; set; } = 300;
}
