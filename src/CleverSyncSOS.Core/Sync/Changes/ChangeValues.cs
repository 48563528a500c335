using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CleverSyncSOS.Sync.Writing;

namespace CleverSyncSOS.Sync.Changes;

/// <summary>
/// The change log's values as JSON objects of property → value. Values are strings, booleans, timestamps
/// (ISO 8601 UTC) or null; reading them back uses the table's property types, so an undo writes what was read.
/// </summary>
public static class ChangeValues
{
    public static string? Write(IReadOnlyDictionary<string, object?>? values)
    {
        if (values is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in values)
            {
                WriteValue(w, name, value);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null: w.WriteNull(name); break;
            case bool b: w.WriteBoolean(name, b); break;
            case DateTime d: w.WriteString(name, DateTime.SpecifyKind(d, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture)); break;
            default: w.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>
    /// Writes a whole row (every column by property name, key first: what <see cref="RowDiff.Values"/> gives) with one
    /// reused buffer; the same JSON as <see cref="Write(IReadOnlyDictionary{string, object?}?)"/>. Not thread-safe.
    /// </summary>
    public sealed class Writer
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(512);
        private readonly Utf8JsonWriter _json;

        public Writer() => _json = new Utf8JsonWriter(_buffer);

        public string Write(RosterTableMap map, object?[] row)
        {
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            _json.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                WriteValue(_json, map.Properties[i].Name, row[i]);
            }

            _json.WriteEndObject();
            _json.Flush();
            return Encoding.UTF8.GetString(_buffer.WrittenSpan);
        }
    }

    /// <summary>The values of a logged JSON object, typed by the table's properties (unknown names are ignored).</summary>
    public static Dictionary<string, object?> Read(string? json, RosterTableMap map)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
        {
            return values;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == StoredRow.IsActiveProperty)
            {
                values[property.Name] = property.Value.ValueKind == JsonValueKind.True;
                continue;
            }

            if (map.Properties.FirstOrDefault(p => p.Name == property.Name) is not { } column)
            {
                continue;
            }

            var type = Nullable.GetUnderlyingType(column.ClrType) ?? column.ClrType;
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.True or JsonValueKind.False => property.Value.GetBoolean(),
                _ when type == typeof(DateTime) => DateTime.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                _ => property.Value.GetString(),
            };
        }

        return values;
    }

    /// <summary>A whole row (the map's order) from logged values; a column the values do not name is null.</summary>
    public static object?[] Row(RosterTableMap map, IReadOnlyDictionary<string, object?> values) =>
        map.Properties.Select(p => values.GetValueOrDefault(p.Name)).ToArray();

    /// <summary>The row with the old values of its data columns laid over it (the key never changes).</summary>
    public static object?[] WithOld(RosterTableMap map, object?[] row, IReadOnlyDictionary<string, object?> old)
    {
        var restored = row.ToArray();
        for (var i = 1; i < map.Properties.Count; i++)
        {
            if (old.TryGetValue(map.Properties[i].Name, out var value))
            {
                restored[i] = value;
            }
        }

        return restored;
    }
}
