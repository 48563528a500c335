namespace CleverSyncSOS.Credentials;

/// <summary>A secret the service needs is missing; the message names the secret (never a value) and the fix.</summary>
public sealed class SecretNotFoundException(string secretName, string purpose)
    : Exception($"The secret '{secretName}' ({purpose}) is not in the secret store. Set it with: cleversync secrets set {secretName}")
{
    public string SecretName { get; } = secretName;
}
