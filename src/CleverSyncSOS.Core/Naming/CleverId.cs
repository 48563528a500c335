using System.Globalization;

namespace CleverSyncSOS.Naming;

/// <summary>
/// What an id from an operator or from Clever (district or school) must be before it is stored. Clever's ids are
/// 24-hex ObjectIds in practice, but Clever documents them only as strings, so any printable id is accepted: it is
/// only ever stored as data and sent escaped in URLs, and every name built from it (database, file, secret) goes
/// through <see cref="StorageKey"/>. See docs/decisions/0006-identifiers-and-storage-names.md.
/// </summary>
public static class CleverId
{
    /// <summary>The width of the id columns in SessionDb (the seed's nvarchar(50)).</summary>
    public const int MaxLength = 50;

    /// <summary>Throws <see cref="InvalidIdentifierException"/> naming <paramref name="what"/> and the problem.</summary>
    public static string Validate(string? value, string what)
    {
        if (Problem(value) is { } problem)
        {
            throw new InvalidIdentifierException($"The {what} {problem}.");
        }

        return value!;
    }

    /// <summary>Why the id is refused, or null when it is acceptable.</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "is required";
        }

        if (value.Length > MaxLength)
        {
            return $"is {value.Length} characters; at most {MaxLength} are allowed";
        }

        if (value.Trim().Length != value.Length)
        {
            return $"'{Printable(value)}' starts or ends with a space";
        }

        if (TextRules.FirstInvisible(value) is { } index)
        {
            return $"'{Printable(value)}' contains the invisible or control character U+{(int)value[index]:X4} at position {index + 1}";
        }

        // In a URL path "." and ".." are dot segments: schools/../users would address every user of the district.
        return value is "." or ".." ? $"'{value}' is not an id" : null;
    }

    /// <summary>The id as it can be shown in a message: control characters as \uXXXX, cut at 60 characters.</summary>
    public static string Printable(string value)
    {
        var shown = string.Concat(value.Take(60).Select(c => TextRules.IsInvisible(c) ? $"\\u{(int)c:X4}" : c.ToString()));
        return value.Length > 60 ? shown + "…" : shown;
    }
}

/// <summary>An id or name that cannot be used; the message says which and why.</summary>
public sealed class InvalidIdentifierException(string message) : ArgumentException(message);

/// <summary>Which characters a stored id or display name may not contain.</summary>
public static class TextRules
{
    /// <summary>Control, format (e.g. right-to-left overrides, zero-width), line/paragraph separators and lone surrogates.</summary>
    public static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;

    public static int? FirstInvisible(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsSurrogatePair(value, i))
            {
                i++; // an emoji or another astral character: visible
                continue;
            }

            if (IsInvisible(value[i]))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>A display name: required, at most <paramref name="maxLength"/> characters, no control characters (PostgreSQL refuses NUL).</summary>
    public static string ValidateName(string? value, string what, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidIdentifierException($"The {what} is required.");
        }

        if (value.Length > maxLength)
        {
            throw new InvalidIdentifierException($"The {what} is {value.Length} characters; at most {maxLength} are allowed.");
        }

        var control = Array.FindIndex(value.ToCharArray(), char.IsControl);
        if (control >= 0)
        {
            throw new InvalidIdentifierException($"The {what} '{CleverId.Printable(value)}' contains the control character U+{(int)value[control]:X4} at position {control + 1}.");
        }

        return value;
    }
}
