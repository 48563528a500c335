using System.Text.RegularExpressions;
using CleverSyncSOS.Naming;

namespace CleverSyncSOS.Persistence;

/// <summary>
/// Names of the school databases: <c>{SchoolDatabaseNamePrefix}{storage key of the Clever school id}</c>, e.g.
/// <c>school_65e000000000000000000001</c>. Only lowercase letters, digits and underscores, so the name is the same
/// unquoted or quoted on every provider and is a plain file name for SQLite; at most 63 characters, PostgreSQL's
/// identifier limit (it would cut a longer one silently and two schools could meet).
/// </summary>
public static partial class SchoolDatabaseNames
{
    public const int MaxLength = 63;

    public static string For(string prefix, string cleverSchoolId) => prefix + StorageKey.From(cleverSchoolId, MaxLength - prefix.Length);

    /// <summary>
    /// Whether a stored name may be used in a file path or a server's database name. Names made by earlier versions
    /// (up to the column's 100 characters) pass too: they were built from the same characters.
    /// </summary>
    public static bool IsSafe(string? name) => name is not null && Safe().IsMatch(name);

    public static string RequireSafe(string? name) => IsSafe(name)
        ? name!
        : throw new InvalidIdentifierException($"The school database name '{CleverId.Printable(name ?? "")}' is not 1–100 lowercase letters, digits or underscores; it is not used.");

    [GeneratedRegex("^[a-z0-9_]{1,100}$")]
    private static partial Regex Safe();
}
