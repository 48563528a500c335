using System.Security.Cryptography;
using System.Text;

namespace CleverSyncSOS.Naming;

/// <summary>
/// Turns an id into the part of a database, file or secret name that stands for it, so that two different ids never
/// get the same name. An id that is already lowercase letters and digits (every Clever ObjectId) is used as it is;
/// any other id becomes its cleaned form, an underscore and 16 hex digits of its SHA-256. Plain keys never contain
/// an underscore and suffixed keys always do, so the two kinds cannot meet; two suffixed keys meet only if 64 bits of
/// SHA-256 do. Keys are lowercase ASCII, so they also stay distinct where names are case-insensitive (Key Vault,
/// SQL Server, Windows and macOS file systems).
/// </summary>
public static class StorageKey
{
    private const int HashLength = 16;

    /// <summary>The shortest key length this can produce within: the hash, its underscore and one character.</summary>
    public const int MinimumLength = HashLength + 2;

    /// <summary>The key of <paramref name="id"/>: only <c>[a-z0-9_]</c>, at most <paramref name="maxLength"/> characters.</summary>
    public static string From(string id, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, MinimumLength);
        if (id.Length <= maxLength && IsPlain(id))
        {
            return id;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..HashLength];
        var cleaned = Clean(id, maxLength - HashLength - 1);
        return $"{(cleaned.Length == 0 ? "id" : cleaned)}_{hash}";
    }

    /// <summary>Lowercase ASCII letters and digits only: the ids used as their own key.</summary>
    public static bool IsPlain(string id) => id.Length > 0 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'));

    // Readable part only: "Lincoln H.S." → "lincoln_h_s". Uniqueness comes from the hash, not from this.
    private static string Clean(string id, int maxLength)
    {
        var builder = new StringBuilder(id.Length);
        foreach (var c in id.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        var cleaned = builder.ToString();
        return (cleaned.Length > maxLength ? cleaned[..maxLength] : cleaned).TrimEnd('_');
    }
}
