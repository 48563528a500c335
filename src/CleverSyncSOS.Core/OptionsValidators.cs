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

        OptionsChecks.AbsoluteHttpUrl(failures, $"{CleverAuthConfiguration.SectionName}:TokenEndpoint", options.TokenEndpoint);
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
        OptionsChecks.AbsoluteHttpUrl(failures, $"{CleverApiOptions.SectionName}:BaseUrl", options.BaseUrl);
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
            OptionsChecks.AbsoluteHttpUrl(failures, $"{SecretStoreOptions.SectionName}:VaultUri", options.VaultUri, httpsOnly: true);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal static class OptionsChecks
{
    public static void AbsoluteHttpUrl(List<string> failures, string key, string? value, bool httpsOnly = false)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && (httpsOnly || uri.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"{key} must be an absolute {(httpsOnly ? "https" : "http(s)")} URL; the value '{value}' is not.");
        }
    }
}
