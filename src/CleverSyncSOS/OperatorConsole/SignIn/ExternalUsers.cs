using System.Security.Claims;
using CleverSyncSOS.Naming;
using CleverSyncSOS.Persistence.Users;
using Microsoft.AspNetCore.Identity;

namespace CleverSyncSOS.Host.OperatorConsole.SignIn;

/// <summary>A provider's user turned into a console user, or the reason it may not come in.</summary>
public sealed record ExternalSignIn(ClaimsPrincipal? User, string? Refusal);

/// <summary>
/// Turns what an identity provider says about a user into a console user: its role from <see cref="OpenIdConnectProvider.RoleMap"/>
/// and its district limit from <see cref="OpenIdConnectProvider.DistrictClaim"/>, decided again at every sign-in and kept
/// only in the sign-in cookie (no local account is made: decision 0009). Nothing else the provider sent is kept, so a
/// provider cannot hand out a console claim (a district limit, a role) other than through the map.
/// </summary>
public static class ExternalUsers
{
    /// <summary>The provider a user signed in with; a user without it is a local account.</summary>
    public const string ProviderClaim = "cleversync:provider";

    public static bool IsExternal(ClaimsPrincipal? user) => user?.HasClaim(c => c.Type == ProviderClaim) == true;

    public static ExternalSignIn Map(OpenIdConnectProvider provider, ClaimsPrincipal external)
    {
        var subject = external.FindFirst("sub")?.Value ?? external.FindFirst("user_id")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            return Refused($"{provider.DisplayName} did not say who you are (no 'sub' claim).");
        }

        var name = (provider.NameClaim is null ? null : external.FindFirst(provider.NameClaim)?.Value) ?? external.FindFirst("email")?.Value ?? subject;
        var providerRoles = external.FindAll(provider.RoleClaim ?? "").Select(c => c.Value).ToList();
        var role = providerRoles.Select(r => provider.RoleMap.TryGetValue(r, out var mapped) ? ConsoleRoles.Parse(mapped) : null).OfType<string>()
            .MaxBy(r => ConsoleRoles.Including(r).Count);
        if (role is null)
        {
            return Refused(providerRoles.Count == 0
                ? $"{name} has no role at {provider.DisplayName} (claim '{provider.RoleClaim}'), so no console role. Ask your administrator to give you one of: {string.Join(", ", provider.RoleMap.Keys)}."
                : $"None of {name}'s roles at {provider.DisplayName} ({string.Join(", ", providerRoles.Take(10))}) gives access to the console. Ask your administrator for one of: {string.Join(", ", provider.RoleMap.Keys)}.");
        }

        var districts = new List<string>();
        if (provider.DistrictClaim is not null)
        {
            districts = external.FindAll(provider.DistrictClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
            if (districts.Count == 0)
            {
                return Refused($"{provider.DisplayName} did not say which district {name} belongs to (claim '{provider.DistrictClaim}'), and its users see only their own district.");
            }

            if (districts.FirstOrDefault(d => CleverId.Problem(d) is not null) is { } bad)
            {
                return Refused($"{provider.DisplayName} named a district id that is not usable ({CleverId.Problem(bad)}).");
            }
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, $"{provider.Name}:{subject}"),
            new(ClaimTypes.Name, name),
            new(ClaimTypes.Role, role),
            new(ProviderClaim, provider.Name),
        };
        claims.AddRange(districts.Select(d => new Claim(ConsoleRoles.DistrictClaim, d)));
        return new ExternalSignIn(new ClaimsPrincipal(new ClaimsIdentity(claims, IdentityConstants.ApplicationScheme, ClaimTypes.Name, ClaimTypes.Role)), null);
    }

    private static ExternalSignIn Refused(string reason) => new(null, reason);
}
