using CleverSyncSOS.Sync.Writing;

namespace CleverSyncSOS.Sync.Changes;

/// <summary>
/// Compares a row about to be written with the stored one, with the upsert's own idea of "changed" (a null-safe
/// comparison of every data column, and a deactivated row coming back), so the log lists exactly what is written.
/// </summary>
public static class RowDiff
{
    /// <summary>Null when the row would not be written at all.</summary>
    public static RecordChange? Compare(string entityType, RosterTableMap map, StoredRow? stored, object?[] row)
    {
        var key = (string)row[0]!;
        if (stored is null)
        {
            return new RecordChange(entityType, key, ChangeAction.Created, null, Values(map, row));
        }

        Dictionary<string, object?>? old = null, @new = null;
        for (var i = 1; i < row.Length; i++)
        {
            if (!Same(stored.Values[i], row[i]))
            {
                (old ??= [])[map.Properties[i].Name] = stored.Values[i];
                (@new ??= [])[map.Properties[i].Name] = row[i];
            }
        }

        if (!stored.IsActive)
        {
            (old ??= [])[StoredRow.IsActiveProperty] = false;
            (@new ??= [])[StoredRow.IsActiveProperty] = true;
        }

        return old is null ? null : new RecordChange(entityType, key, ChangeAction.Updated, old, @new);
    }

    public static RecordChange Deleted(string entityType, RosterTableMap map, StoredRow stored) =>
        new(entityType, (string)stored.Values[0]!, ChangeAction.Deleted, Values(map, stored.Values), null);

    /// <summary>Every column of a row by property name (key first).</summary>
    public static Dictionary<string, object?> Values(RosterTableMap map, object?[] row)
    {
        var values = new Dictionary<string, object?>(row.Length, StringComparer.Ordinal);
        for (var i = 0; i < row.Length; i++)
        {
            values[map.Properties[i].Name] = row[i];
        }

        return values;
    }

    public static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (DateTime x, DateTime y) => x.Ticks == y.Ticks,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        _ => Equals(a, b),
    };
}

/// <summary>A row as stored: the key and data columns in the map's order, and whether it is active.</summary>
public sealed record StoredRow(object?[] Values, bool IsActive)
{
    public const string IsActiveProperty = "IsActive";
}
