using CleverSyncSOS.Credentials;
using CleverSyncSOS.Naming;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.Service.Api;

/// <summary><c>CleverSyncSOS:Api</c>: who may call <c>/api</c>. Keys live in the secret store; configuration names them only.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "CleverSyncSOS:Api";
    public const string DefaultKeySecretName = "CleverSyncSOS--Api--Key";

    /// <summary>Secret names whose values are accepted in the <c>X-Api-Key</c> header (several, so a key can be rotated without downtime).</summary>
    public List<string> KeySecretNames { get; set; } = [];

    /// <summary>Optional JWT bearer: the OIDC issuer (e.g. https://login.microsoftonline.com/{tenant}/v2.0).</summary>
    public string? JwtAuthority { get; set; }

    /// <summary>The audience tokens must be issued for; required with <see cref="JwtAuthority"/>.</summary>
    public string? JwtAudience { get; set; }

    /// <summary>
    /// Whether the issuer's metadata must come over https. A token's signing keys are only as trustworthy as the channel
    /// that served them, so plain http is allowed only for an issuer on this machine (loopback: development and tests).
    /// </summary>
    public static bool RequiresHttpsMetadata(Uri authority) => !authority.IsLoopback;

    /// <summary>
    /// Keys limited to some districts: secret name → the Clever district ids its callers may see and sync. A key not listed
    /// here sees every district.
    /// </summary>
    public Dictionary<string, List<string>> KeyDistricts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When set, the JWT claim carrying the district id(s) a token is limited to; a token without it is refused. Unset, a
    /// token sees every district.
    /// </summary>
    public string? JwtDistrictClaim { get; set; }

    public IReadOnlyList<string> EffectiveKeySecretNames => KeySecretNames.Count > 0 ? KeySecretNames : [DefaultKeySecretName];
}

public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        foreach (var secret in options.KeySecretNames.Where(n => !SecretNames.IsValid(n)))
        {
            failures.Add($"{ApiOptions.SectionName}:KeySecretNames '{secret}' is not a secret name (1–127 letters, digits and dashes).");
        }

        if (options.JwtAuthority is { Length: > 0 } authority && (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && (uri.Scheme != Uri.UriSchemeHttp || ApiOptions.RequiresHttpsMetadata(uri)))))
        {
            failures.Add($"{ApiOptions.SectionName}:JwtAuthority must be an absolute https URL of an OpenID Connect issuer (http only on loopback).");
        }

        if (!string.IsNullOrEmpty(options.JwtAuthority) && string.IsNullOrEmpty(options.JwtAudience))
        {
            failures.Add($"{ApiOptions.SectionName}:JwtAudience is required with JwtAuthority.");
        }

        foreach (var (secret, districts) in options.KeyDistricts)
        {
            if (!options.EffectiveKeySecretNames.Contains(secret, StringComparer.Ordinal))
            {
                failures.Add($"{ApiOptions.SectionName}:KeyDistricts:{secret} names no key of KeySecretNames ({string.Join(", ", options.EffectiveKeySecretNames)}).");
            }

            if (districts.Count == 0)
            {
                failures.Add($"{ApiOptions.SectionName}:KeyDistricts:{secret} must list at least one district id (remove it to let the key see every district).");
            }

            foreach (var district in districts.Where(d => CleverId.Problem(d) is not null))
            {
                failures.Add($"{ApiOptions.SectionName}:KeyDistricts:{secret} '{district}' is not a district id: {CleverId.Problem(district)}");
            }
        }

        if (options.JwtDistrictClaim is { } claim && (claim.Length is 0 or > 200 || string.IsNullOrWhiteSpace(claim)))
        {
            failures.Add($"{ApiOptions.SectionName}:JwtDistrictClaim must be a claim name (1–200 characters).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
