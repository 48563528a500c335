using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence.Session;

namespace CleverSyncSOS.Authentication;

/// <summary>Which district a token is for and where its client id and secret are kept.</summary>
public sealed record DistrictCredentials(string CleverDistrictId, CredentialReference Credentials)
{
    /// <summary>The credentials of an onboarded district: its secrets are named after its prefix.</summary>
    public static DistrictCredentials For(District district, string? vaultUri) =>
        new(district.CleverDistrictId, SecretNames.DistrictCredentials(
            district.KeyVaultSecretPrefix ?? SecretNames.DefaultDistrictPrefix(district.CleverDistrictId), vaultUri));
}
