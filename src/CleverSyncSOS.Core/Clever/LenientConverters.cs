using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Text fields as Clever's data really comes: a number or boolean where text is expected (<c>"grade": 5</c>) is
/// read as its text; an object or array there is skipped and read as absent.
/// </summary>
public sealed class LenientStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadText(ref reader);

    /// <summary>The rule itself, shared with <see cref="CleverUserPageParser"/>: the reader is left on the value's last token.</summary>
    internal static string? ReadText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return reader.HasValueSequence ? System.Text.EncodingExtensions.GetString(System.Text.Encoding.UTF8, reader.ValueSequence) : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.True or JsonTokenType.False:
                return reader.GetBoolean() ? "true" : "false";
            case JsonTokenType.Null:
                return null;
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Reads each record of a page on its own, so that one record Clever sends in an unexpected shape fails alone.</summary>
public sealed class LenientRecordConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsClass && typeof(ICleverRecord).IsAssignableFrom(typeToConvert) && typeToConvert.GetConstructor(Type.EmptyTypes) is not null;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(typeof(LenientRecordConverter<>).MakeGenericType(typeToConvert));
}

/// <summary>
/// A record that does not fit its shape (e.g. <c>"name": "Ada"</c>) is read as a malformed record holding only its
/// id: the sync counts it as failed and keeps what it had, instead of failing the school's whole read.
/// </summary>
public sealed class LenientRecordConverter<T> : JsonConverter<T>
    where T : class, ICleverRecord, new()
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Custom converters always get the whole value buffered, so the reader can be rewound.
        var start = reader;
        try
        {
            return JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
        }
        catch (JsonException)
        {
            reader = start;
            using var record = JsonDocument.ParseValue(ref reader);
            var id = record.RootElement.ValueKind == JsonValueKind.Object && record.RootElement.TryGetProperty("id", out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return new T { Id = id, IsMalformed = true };
        }
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
}
