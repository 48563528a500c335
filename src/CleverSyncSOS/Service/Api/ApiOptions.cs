using CleverSyncSOS.Credentials;
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
