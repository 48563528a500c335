using System.Security.Claims;

namespace CleverSyncSOS.Persistence.Users;

/// <summary>The console's roles, each including the one before: a Viewer reads, an Operator also acts on syncs, an Admin also manages users.</summary>
public static class ConsoleRoles
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    /// <summary>The claim that limits a user to one district (one claim per district); a user without any sees every district.</summary>
    public const string DistrictClaim = "cleversync:district";

    /// <summary>The roles a role includes, itself first.</summary>
    public static IReadOnlyList<string> Including(string role) => role switch
    {
        Admin => [Admin, Operator, Viewer],
        Operator => [Operator, Viewer],
        Viewer => [Viewer],
        _ => throw new ArgumentException($"Unknown role '{role}': use {string.Join(", ", All)}."),
    };

    /// <summary>The roles that may do what <paramref name="role"/> may do.</summary>
    public static string[] AtLeast(string role) => All.Where(r => Including(r).Contains(role)).ToArray();

    /// <summary>Case-insensitive match of an operator's spelling to a role name; null when unknown.</summary>
    public static string? Parse(string? value) => All.FirstOrDefault(r => string.Equals(r, value?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The districts a user is limited to; empty means every district.</summary>
    public static IReadOnlySet<string> Districts(ClaimsPrincipal user) =>
        user.FindAll(DistrictClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
}
