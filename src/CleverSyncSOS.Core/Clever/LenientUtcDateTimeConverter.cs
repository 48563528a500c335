using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Reads Clever timestamps as UTC. An absent, empty or unparsable value becomes null instead of failing the
/// whole page: one odd record must not stop a school's sync.
/// </summary>
public sealed class LenientUtcDateTimeConverter : JsonConverter<DateTime?>
{
    public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadUtc(ref reader);

    /// <summary>The rule itself, shared with <see cref="CleverUserPageParser"/>: the reader is left on the value's last token.</summary>
    internal static DateTime? ReadUtc(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (reader.TryGetDateTimeOffset(out var exact))
        {
            return exact.UtcDateTime;
        }

        return DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed.UtcDateTime
            : null;
    }

    public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }
    }
}
