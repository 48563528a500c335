using System.Globalization;
using System.Text.Json.Serialization;

namespace CleverSyncSOS.Clever;

// Wire shapes of Clever's sections, courses and terms (Data API v3.0). As for users, every property is optional.

/// <summary>A section; its enrollments are <see cref="Students"/> and <see cref="Teachers"/> (Clever has no enrollment object).</summary>
public sealed class CleverSection : ICleverRecord
{
    public string? Id { get; set; }

    [JsonIgnore]
    public bool IsMalformed { get; set; }

    public string? District { get; set; }
    public string? School { get; set; }
    public string? Course { get; set; }

    [JsonPropertyName("term_id")]
    public string? TermId { get; set; }

    public string? Name { get; set; }
    public string? Period { get; set; }
    public string? Grade { get; set; }
    public string? Subject { get; set; }

    [JsonPropertyName("sis_id")]
    public string? SisId { get; set; }

    [JsonPropertyName("section_number")]
    public string? SectionNumber { get; set; }

    /// <summary>The primary teacher.</summary>
    public string? Teacher { get; set; }

    public List<string?>? Teachers { get; set; }
    public List<string?>? Students { get; set; }

    [JsonPropertyName("last_modified")]
    [JsonConverter(typeof(LenientUtcDateTimeConverter))]
    public DateTime? LastModified { get; set; }
}

/// <summary>A course. Clever sends no created or last_modified for courses.</summary>
public sealed class CleverCourse : ICleverRecord
{
    public string? Id { get; set; }

    [JsonIgnore]
    public bool IsMalformed { get; set; }

    public string? District { get; set; }
    public string? Name { get; set; }
    public string? Number { get; set; }
}

/// <summary>A term; its dates are strings (<c>2019-08-21</c>, sometimes <c>1/5/2027</c>): see <see cref="CleverDates"/>.</summary>
public sealed class CleverTerm : ICleverRecord
{
    public string? Id { get; set; }

    [JsonIgnore]
    public bool IsMalformed { get; set; }

    public string? District { get; set; }
    public string? Name { get; set; }

    [JsonPropertyName("start_date")]
    public string? StartDate { get; set; }

    [JsonPropertyName("end_date")]
    public string? EndDate { get; set; }
}

/// <summary>Clever's date strings, read leniently: ISO dates or date-times, or US month/day/year; anything else is no date.</summary>
public static class CleverDates
{
    private static readonly string[] Formats = ["yyyy-MM-dd", "M/d/yyyy", "MM/dd/yyyy", "yyyy/MM/dd"];

    public static DateTime? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return DateTime.SpecifyKind(date, DateTimeKind.Utc);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)
            ? DateTime.SpecifyKind(moment.UtcDateTime.Date, DateTimeKind.Utc)
            : null;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientStringConverter)])]
[JsonSerializable(typeof(CleverApiResponse<CleverSection>))]
[JsonSerializable(typeof(CleverApiResponse<CleverCourse>))]
[JsonSerializable(typeof(CleverApiResponse<CleverTerm>))]
[JsonSerializable(typeof(CleverSection))]
[JsonSerializable(typeof(CleverCourse))]
[JsonSerializable(typeof(CleverTerm))]
internal sealed partial class CleverClassJsonContext : JsonSerializerContext;
