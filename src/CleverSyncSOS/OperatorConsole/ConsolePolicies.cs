using CleverSyncSOS.Persistence.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace CleverSyncSOS.Host.OperatorConsole;

/// <summary>The console's authorization policies: one per role, each met by that role and the roles above it, signed in by cookie.</summary>
public static class ConsolePolicies
{
    public const string Viewer = "console-viewer";
    public const string Operator = "console-operator";
    public const string Admin = "console-admin";

    public static AuthorizationBuilder AddConsolePolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Viewer, p => Role(p, ConsoleRoles.Viewer))
        .AddPolicy(Operator, p => Role(p, ConsoleRoles.Operator))
        .AddPolicy(Admin, p => Role(p, ConsoleRoles.Admin));

    private static void Role(AuthorizationPolicyBuilder policy, string role) =>
        policy.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser().RequireRole(ConsoleRoles.AtLeast(role));
}
