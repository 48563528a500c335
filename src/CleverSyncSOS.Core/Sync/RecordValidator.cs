using CleverSyncSOS.Sync.Writing;

namespace CleverSyncSOS.Sync;

/// <summary>
/// Checks a row against the seed's required fields and lengths, read from the EF Core model (one source of
/// truth). A bad record is reported with its reason and skipped; the others proceed.
/// </summary>
public sealed class RecordValidator(RosterTableMap map)
{
    private readonly (string Name, bool Required, int? MaxLength)[] _rules =
        map.Properties.Select(p => (p.Name, !p.IsNullable, p.GetMaxLength())).ToArray();

    /// <summary>False for an id no database can hold (a NUL character): it can only be skipped, never looked up.</summary>
    public static bool IsStorableKey(string id) => !id.Contains('\0', StringComparison.Ordinal);

    /// <summary>Null when the row is valid, else why not (never the value itself: it may be personal data).</summary>
    public string? Validate(object?[] row)
    {
        List<string>? problems = null;
        for (var i = 0; i < _rules.Length; i++)
        {
            var (name, required, maxLength) = _rules[i];
            var value = row[i];
            if (required && (value is null || value is string { Length: 0 }))
            {
                (problems ??= []).Add($"{name} is missing");
            }
            else if (maxLength is { } max && value is string text && text.Length > max)
            {
                (problems ??= []).Add($"{name} is {text.Length} characters, more than the {max} allowed");
            }
            else if (value is string withNul && !IsStorableKey(withNul))
            {
                // PostgreSQL refuses NUL in text; no database should hold it.
                (problems ??= []).Add($"{name} contains a NUL character");
            }
        }

        return problems is null ? null : string.Join("; ", problems);
    }
}
