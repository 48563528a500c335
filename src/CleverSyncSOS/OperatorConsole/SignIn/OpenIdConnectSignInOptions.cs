using System.Text.RegularExpressions;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence.Users;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.OperatorConsole.SignIn;

/// <summary>
/// <c>CleverSyncSOS:Console:OpenIdConnect</c>: the identity providers people may sign in to the console with, besides local
/// accounts. Each provider is keyed by a short name (it names its sign-in button's scheme and its callback path).
/// </summary>
public sealed class OpenIdConnectSignInOptions
{
    public const string SectionName = "CleverSyncSOS:Console:OpenIdConnect";

    public Dictionary<string, OpenIdConnectProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Which defaults a provider starts from.</summary>
public enum OpenIdConnectPreset
{
    /// <summary>Nothing assumed: every claim name and the role map are configured.</summary>
    Generic,

    /// <summary>Microsoft Entra ID for the vendor's staff: app roles in the <c>roles</c> claim.</summary>
    EntraId,

    /// <summary>Clever's own sign-in for district staff: <c>user_type</c> and <c>district</c> claims; every user is limited to its district.</summary>
    Clever,
}

/// <summary>How the client authenticates at the token endpoint.</summary>
public enum ClientAuthentication
{
    ClientSecretPost,
    ClientSecretBasic,
}

/// <summary>
/// One identity provider. The client secret is never configuration: it is read from the secret store (named by
/// <see cref="ClientSecretName"/>) when a code is redeemed.
/// </summary>
public sealed class OpenIdConnectProviderOptions
{
    public OpenIdConnectPreset Preset { get; set; } = OpenIdConnectPreset.Generic;

    /// <summary>What the sign-in button says ("Sign in with …").</summary>
    public string? DisplayName { get; set; }

    /// <summary>The issuer (https; plain http only on loopback). Clever's preset defaults to <c>https://clever.com</c>.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The secret holding the client secret; default <c>CleverSyncSOS--Console--OpenIdConnect--{name}--ClientSecret</c>.</summary>
    public string? ClientSecretName { get; set; }

    /// <summary>Refused when set: a client secret belongs in the secret store, never in configuration.</summary>
    public string? ClientSecret { get; set; }

    public ClientAuthentication? ClientAuthentication { get; set; }

    public List<string> Scopes { get; set; } = [];

    /// <summary>The claim carrying the user's roles at the provider (several values or a JSON array allowed).</summary>
    public string? RoleClaim { get; set; }

    /// <summary>Provider role → console role (Viewer, Operator, Admin). A user none of whose roles is mapped does not get in.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When set, the claim carrying the district id(s) a user is limited to; a user without it does not get in.</summary>
    public string? DistrictClaim { get; set; }

    /// <summary>The claim shown as the user's name (and recorded as who started a sync).</summary>
    public string? NameClaim { get; set; }

    /// <summary>Whether to ask the userinfo endpoint for claims the identity token does not carry.</summary>
    public bool? GetClaimsFromUserInfoEndpoint { get; set; }

    /// <summary>The provider with its preset's defaults filled in where nothing was configured.</summary>
    public OpenIdConnectProvider Resolve(string name)
    {
        var preset = Preset switch
        {
            OpenIdConnectPreset.EntraId => new OpenIdConnectProvider(name, "Microsoft Entra ID", null, null, DefaultSecretName(name),
                SignIn.ClientAuthentication.ClientSecretPost, ["openid", "profile", "email"], "roles",
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["CleverSync.Viewer"] = ConsoleRoles.Viewer, ["CleverSync.Operator"] = ConsoleRoles.Operator, ["CleverSync.Admin"] = ConsoleRoles.Admin,
                },
                null, "preferred_username", false),
            OpenIdConnectPreset.Clever => new OpenIdConnectProvider(name, "Clever", "https://clever.com", null, DefaultSecretName(name),
                SignIn.ClientAuthentication.ClientSecretBasic, ["openid"], "user_type",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["district_admin"] = ConsoleRoles.Viewer },
                "district", "email", false),
            _ => new OpenIdConnectProvider(name, name, null, null, DefaultSecretName(name), SignIn.ClientAuthentication.ClientSecretPost,
                ["openid", "profile", "email"], null, new Dictionary<string, string>(StringComparer.Ordinal), null, "email", false),
        };
        return preset with
        {
            DisplayName = Blank(DisplayName) ?? preset.DisplayName,
            Authority = Blank(Authority) ?? preset.Authority,
            ClientId = Blank(ClientId),
            ClientSecretName = Blank(ClientSecretName) ?? preset.ClientSecretName,
            ClientAuthentication = ClientAuthentication ?? preset.ClientAuthentication,
            Scopes = Scopes.Count > 0 ? Scopes.Union(["openid"], StringComparer.Ordinal).ToList() : preset.Scopes,
            RoleClaim = Blank(RoleClaim) ?? preset.RoleClaim,
            RoleMap = RoleMap.Count > 0 ? new Dictionary<string, string>(RoleMap, StringComparer.Ordinal) : preset.RoleMap,
            DistrictClaim = Blank(DistrictClaim) ?? preset.DistrictClaim,
            NameClaim = Blank(NameClaim) ?? preset.NameClaim,
            GetClaimsFromUserInfoEndpoint = GetClaimsFromUserInfoEndpoint ?? preset.GetClaimsFromUserInfoEndpoint,
        };
    }

    public static string DefaultSecretName(string provider) => $"CleverSyncSOS--Console--OpenIdConnect--{provider}--ClientSecret";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A provider as used: every default applied.</summary>
public sealed record OpenIdConnectProvider(
    string Name, string DisplayName, string? Authority, string? ClientId, string ClientSecretName, ClientAuthentication ClientAuthentication,
    IReadOnlyList<string> Scopes, string? RoleClaim, IReadOnlyDictionary<string, string> RoleMap, string? DistrictClaim, string? NameClaim,
    bool GetClaimsFromUserInfoEndpoint)
{
    /// <summary>The authentication scheme of the provider's sign-in.</summary>
    public string Scheme => $"oidc-{Name.ToLowerInvariant()}";

    /// <summary>Where the provider sends the browser back with the code.</summary>
    public string CallbackPath => $"/signin-oidc/{Name.ToLowerInvariant()}";

    /// <summary>
    /// Whether the issuer's metadata and keys must come over https: an identity token is only as trustworthy as the channel
    /// its signing keys came over, so plain http is for an issuer on this machine only (development, tests).
    /// </summary>
    public bool RequireHttpsMetadata => !Uri.TryCreate(Authority, UriKind.Absolute, out var uri) || !uri.IsLoopback;
}

/// <summary>Every problem of every provider, each naming its key; <c>serve</c> does not start with any.</summary>
public sealed partial class OpenIdConnectSignInOptionsValidator : IValidateOptions<OpenIdConnectSignInOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenIdConnectSignInOptions options)
    {
        var failures = options.Providers.SelectMany(p => Problems(p.Key, p.Value)).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What is wrong with one provider's configuration, each problem naming its key; empty when it can be used.</summary>
    public static List<string> Problems(string providerName, OpenIdConnectProviderOptions configured)
    {
        var failures = new List<string>();
        var key = $"{OpenIdConnectSignInOptions.SectionName}:Providers:{providerName}";
        if (!ProviderName().IsMatch(providerName))
        {
            failures.Add($"{key}: a provider's name is 1–32 letters, digits and dashes (it names its callback path).");
            return failures;
        }

        if (configured.ClientSecret is not null)
        {
            failures.Add($"{key}:ClientSecret must not be in configuration: store it with 'cleversync secrets set {configured.ClientSecretName ?? OpenIdConnectProviderOptions.DefaultSecretName(providerName)}' (or set ClientSecretName).");
        }

        var provider = configured.Resolve(providerName);
        if (!Uri.TryCreate(provider.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key}:Authority must be the absolute https URL of an OpenID Connect issuer; the value '{provider.Authority}' is not.");
        }
        else if (authority.Scheme == Uri.UriSchemeHttp && !authority.IsLoopback)
        {
            failures.Add($"{key}:Authority must use https (http only for an issuer on 127.0.0.1, ::1 or localhost); the value '{provider.Authority}' does not.");
        }

        if (provider.ClientId is not { Length: <= 256 })
        {
            failures.Add($"{key}:ClientId is required (at most 256 characters).");
        }

        if (!SecretNames.IsValid(provider.ClientSecretName))
        {
            failures.Add($"{key}:ClientSecretName '{provider.ClientSecretName}' is not a secret name (1–127 letters, digits and dashes).");
        }

        if (provider.RoleClaim is null)
        {
            failures.Add($"{key}:RoleClaim is required: the claim whose values RoleMap maps to console roles.");
        }

        if (provider.RoleMap.Count == 0)
        {
            failures.Add($"{key}:RoleMap is required: at least one provider role mapped to Viewer, Operator or Admin.");
        }

        foreach (var (from, to) in provider.RoleMap)
        {
            if (ConsoleRoles.Parse(to) is not { } role)
            {
                failures.Add($"{key}:RoleMap:{from} must be one of {string.Join(", ", ConsoleRoles.All)}; the value '{to}' is not.");
            }
            else if (role == ConsoleRoles.Admin && provider.DistrictClaim is not null)
            {
                failures.Add($"{key}:RoleMap:{from} cannot be Admin: this provider limits every user to the districts of its DistrictClaim, and an Admin manages every district.");
            }
        }

        if (provider.DisplayName.Length > 100)
        {
            failures.Add($"{key}:DisplayName is at most 100 characters.");
        }

        return failures;
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,32}$")]
    private static partial Regex ProviderName();
}
