using System.Text;
using System.Text.RegularExpressions;

namespace CleverSyncSOS.Credentials;

/// <summary>
/// The one place where secret names are built. Names follow the seed and Key Vault's rules
/// (1–127 characters: letters, digits and dashes).
/// </summary>
public static partial class SecretNames
{
    public const string SessionDbConnectionString = "CleverSyncSOS--SessionDb--ConnectionString";

    /// <summary>Connection string to the PostgreSQL/SQL Server server that holds the school databases.</summary>
    public const string SchoolDbServerConnectionString = "CleverSyncSOS--SchoolDb--ServerConnectionString";

    public static string SchoolConnectionString(string schoolName) =>
        Limit($"CleverSyncSOS--School-{ToSecretNamePart(schoolName)}-ConnectionString");

    public static string DistrictClientId(string keyVaultSecretPrefix) => Limit($"{ToSecretNamePart(keyVaultSecretPrefix)}--ClientId");

    public static string DistrictClientSecret(string keyVaultSecretPrefix) => Limit($"{ToSecretNamePart(keyVaultSecretPrefix)}--ClientSecret");

    /// <summary>The default prefix for a district, e.g. "District-65d000000000000000000001".</summary>
    public static string DefaultDistrictPrefix(string cleverDistrictId) => $"District-{ToSecretNamePart(cleverDistrictId)}";

    public static CredentialReference DistrictCredentials(string keyVaultSecretPrefix, string? vaultUri) =>
        new(DistrictClientId(keyVaultSecretPrefix), DistrictClientSecret(keyVaultSecretPrefix), vaultUri);

    /// <summary>"Lincoln High School (East)" becomes "Lincoln-High-School-East".</summary>
    public static string ToSecretNamePart(string value)
    {
        var part = NotAllowed().Replace(value.Normalize(NormalizationForm.FormD), "-");
        part = Dashes().Replace(part, "-").Trim('-');
        return part.Length == 0 ? "Unnamed" : part;
    }

    public static bool IsValid(string name) => name.Length is >= 1 and <= 127 && Valid().IsMatch(name);

    private static string Limit(string name) => name.Length <= 127
        ? name
        : throw new ArgumentException($"The secret name '{name[..40]}…' is longer than the 127 characters Key Vault allows; use a shorter school name or prefix.");

    [GeneratedRegex("[^A-Za-z0-9-]")]
    private static partial Regex NotAllowed();

    [GeneratedRegex("-{3,}")]
    private static partial Regex Dashes();

    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex Valid();
}
