using System.Text.RegularExpressions;
using CleverSyncSOS.Naming;
using CleverSyncSOS.Persistence;

namespace CleverSyncSOS.Credentials;

/// <summary>
/// The one place where secret names are built. Names follow the seed and Key Vault's rules (1–127 characters:
/// letters, digits and dashes; Key Vault compares them ignoring case). Names built from ids go through
/// <see cref="StorageKey"/>, so two ids never share a secret (docs/decisions/0006-identifiers-and-storage-names.md).
/// </summary>
public static partial class SecretNames
{
    public const string SessionDbConnectionString = "CleverSyncSOS--SessionDb--ConnectionString";

    /// <summary>Connection string to the PostgreSQL/SQL Server server that holds the school databases.</summary>
    public const string SchoolDbServerConnectionString = "CleverSyncSOS--SchoolDb--ServerConnectionString";

    /// <summary>The longest district secret prefix (SessionDb's KeyVaultSecretPrefix column).</summary>
    public const int MaxPrefixLength = 100;

    /// <summary>
    /// The seed's <c>CleverSyncSOS--School-{SchoolName}-ConnectionString</c>, with the school's database name as its
    /// name (underscores as dashes): unique per school by construction, where display names are neither unique
    /// nor stable. E.g. <c>CleverSyncSOS--School-school-65e000000000000000000001-ConnectionString</c>.
    /// </summary>
    public static string SchoolDatabaseConnectionString(string databaseName) =>
        $"CleverSyncSOS--School-{SchoolDatabaseNames.RequireSafe(databaseName).Replace('_', '-')}-ConnectionString";

    public static string DistrictClientId(string keyVaultSecretPrefix) => $"{RequirePrefix(keyVaultSecretPrefix)}--ClientId";

    public static string DistrictClientSecret(string keyVaultSecretPrefix) => $"{RequirePrefix(keyVaultSecretPrefix)}--ClientSecret";

    /// <summary>The default prefix for a district, e.g. "District-65d000000000000000000001"; other ids get a hash suffix.</summary>
    public static string DefaultDistrictPrefix(string cleverDistrictId) => $"District-{StorageKey.From(cleverDistrictId, 64).Replace('_', '-')}";

    public static CredentialReference DistrictCredentials(string keyVaultSecretPrefix, string? vaultUri) =>
        new(DistrictClientId(keyVaultSecretPrefix), DistrictClientSecret(keyVaultSecretPrefix), vaultUri);

    public static bool IsValid(string name) => name.Length is >= 1 and <= 127 && Valid().IsMatch(name);

    /// <summary>Whether a district's secret prefix is usable: letters, digits and dashes, at most 100 characters.</summary>
    public static bool IsValidPrefix(string prefix) => prefix.Length <= MaxPrefixLength && IsValid(prefix);

    private static string RequirePrefix(string prefix) => IsValidPrefix(prefix)
        ? prefix
        : throw new InvalidIdentifierException($"The secret prefix '{CleverId.Printable(prefix)}' must be 1–{MaxPrefixLength} letters, digits and dashes.");

    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex Valid();
}
