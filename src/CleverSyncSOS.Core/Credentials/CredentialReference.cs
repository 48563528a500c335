namespace CleverSyncSOS.Credentials;

/// <summary>Where a district's Clever client id and secret are kept (seed entity 4). Holds names, never values.</summary>
public sealed record CredentialReference(string ClientIdSecretName, string ClientSecretName, string? VaultUri);
