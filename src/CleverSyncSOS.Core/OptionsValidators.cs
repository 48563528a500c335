using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Credentials;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS;

/// <summary>Checks <see cref="CleverAuthConfiguration"/>; every problem is reported, each naming its key and the value seen.</summary>
[OptionsValidator]
public sealed partial class CleverAuthConfigurationDataAnnotations : IValidateOptions<CleverAuthConfiguration>;

public sealed class CleverAuthConfigurationValidator : IValidateOptions<CleverAuthConfiguration>
{
    private readonly CleverAuthConfigurationDataAnnotations _annotations = new();

    public ValidateOptionsResult Validate(string? name, CleverAuthConfiguration options)
    {
        var failures = new List<string>();
        var annotations = _annotations.Validate(name, options);
        if (annotations.Failed)
        {
            failures.AddRange(annotations.Failures);
        }

        OptionsChecks.SecureUrl(failures, $"{CleverAuthConfiguration.SectionName}:TokenEndpoint", options.TokenEndpoint);
        if (options.RequiredScopes.Count == 0)
        {
            failures.Add($"{CleverAuthConfiguration.SectionName}:Scope must name at least one scope (e.g. 'read:students read:teachers').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public sealed class CleverApiOptionsValidator : IValidateOptions<CleverApiOptions>
{
    public ValidateOptionsResult Validate(string? name, CleverApiOptions options)
    {
        var failures = new List<string>();
        OptionsChecks.SecureUrl(failures, $"{CleverApiOptions.SectionName}:BaseUrl", options.BaseUrl);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public sealed class SecretStoreOptionsValidator : IValidateOptions<SecretStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretStoreOptions options)
    {
        var failures = new List<string>();
        if (options.Provider == SecretStoreProvider.KeyVault)
        {
            // Always https: the Azure SDK sends its bearer token only over TLS, even to a local test vault.
            OptionsChecks.SecureUrl(failures, $"{SecretStoreOptions.SectionName}:VaultUri", options.VaultUri, allowLoopbackHttp: false);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal static class OptionsChecks
{
    /// <summary>
    /// An absolute https URL. Credentials and rosters cross these connections, so plain http is allowed only to this
    /// machine (127.0.0.0/8, ::1, localhost: the simulator and test servers), where nothing is on the wire.
    /// </summary>
    public static void SecureUrl(List<string> failures, string key, string? value, bool allowLoopbackHttp = true)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key} must be an absolute https URL; the value '{value}' is not.");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !(allowLoopbackHttp && uri.IsLoopback))
        {
            failures.Add(allowLoopbackHttp
                ? $"{key} must use https (http only to 127.0.0.1, ::1 or localhost); the value '{value}' does not."
                : $"{key} must use https; the value '{value}' does not.");
        }
    }
}
