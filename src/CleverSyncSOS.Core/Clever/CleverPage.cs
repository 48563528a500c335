using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CleverSyncSOS.Clever;

/// <summary>
/// One page of a Clever list as read: its records in order (one that could not be read is there, flagged malformed)
/// and its <c>next</c> link. <see cref="Records"/> is null when the body has no <c>data</c> array: that is not an empty
/// roster, and the client refuses it.
/// </summary>
public sealed record CleverPage<T>(IReadOnlyList<T>? Records, string? NextLink);

/// <summary>
/// Turns the bytes of one list page into its records. A record in an unexpected shape is returned as a malformed record
/// (only its id, if any, known); a body that is not JSON, or not a Clever page, throws a <see cref="JsonException"/>
/// whose message names the problem (never a .NET type).
/// </summary>
public interface ICleverPageParser<T>
    where T : class, ICleverRecord
{
    CleverPage<T> Parse(ReadOnlySpan<byte> body);
}

/// <summary>The parser of the less voluminous lists (sections, courses, terms, schools, events): the source-generated contracts.</summary>
public sealed class JsonPageParser<T>(JsonTypeInfo<CleverApiResponse<T>> typeInfo) : ICleverPageParser<T>
    where T : class, ICleverRecord, new()
{
    public CleverPage<T> Parse(ReadOnlySpan<byte> body)
    {
        CleverApiResponse<T>? page;
        try
        {
            page = JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException ex) when (ex.Path is { } path && ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            // The serializer names the .NET type it wanted; an operator needs the place in Clever's JSON.
            throw new JsonException(path == "$" ? "the body is not a JSON object" : $"the value at {path} is not of the type Clever documents there", ex);
        }

        if (page?.Data is not { } data)
        {
            return new CleverPage<T>(null, null);
        }

        var records = new List<T>(data.Count);
        foreach (var item in data)
        {
            // A null entry is a record that cannot be read at all: counted as malformed, never skipped silently.
            records.Add(item?.Data ?? new T { IsMalformed = true });
        }

        return new CleverPage<T>(records, page.NextLink);
    }
}
