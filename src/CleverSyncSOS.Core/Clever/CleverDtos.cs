using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleverSyncSOS.Clever;

// Wire shapes of Clever's Data API v3.0. Every property is optional: real Clever omits keys, sends ""
// for absent enum values and adds fields over time, so nothing here may fail on such input. A number where
// text is expected is read as its text; a record that still does not fit is read as a malformed record with
// only its id (see LenientRecordConverter), so one odd record never fails a whole page.

/// <summary>A record of a list page: what is known of it even when it is malformed.</summary>
public interface ICleverRecord
{
    string? Id { get; set; }

    /// <summary>True when the record could not be read as Clever documents it (only its id, if any, is known).</summary>
    bool IsMalformed { get; set; }
}

/// <summary>A paged list response (seed entity 12). Clever pages with <c>links</c> rather than a paging object.</summary>
public sealed class CleverApiResponse<T>
{
    public List<CleverDataItem<T>>? Data { get; set; }
    public List<CleverLink>? Links { get; set; }

    public string? NextLink => Links?.FirstOrDefault(l => l?.Rel == "next")?.Uri;
}

public sealed class CleverDataItem<T>
{
    [JsonConverter(typeof(LenientRecordConverterFactory))]
    public T? Data { get; set; }
    public string? Uri { get; set; }
}

public sealed class CleverLink
{
    public string? Rel { get; set; }
    public string? Uri { get; set; }
}

public sealed class CleverName
{
    public string? First { get; set; }
    public string? Middle { get; set; }
    public string? Last { get; set; }
}

/// <summary>A Clever user; its roles say whether (and where) it is a student or a teacher.</summary>
public sealed class CleverUser : ICleverRecord
{
    public string? Id { get; set; }

    [JsonIgnore]
    public bool IsMalformed { get; set; }
    public string? District { get; set; }
    public string? Email { get; set; }
    public CleverName? Name { get; set; }

    [JsonPropertyName("last_modified")]
    [JsonConverter(typeof(LenientUtcDateTimeConverter))]
    public DateTime? LastModified { get; set; }

    public CleverRoles? Roles { get; set; }
}

public sealed class CleverRoles
{
    public CleverStudentRole? Student { get; set; }
    public CleverTeacherRole? Teacher { get; set; }
}

public sealed class CleverStudentRole
{
    public string? School { get; set; }
    public List<string>? Schools { get; set; }

    [JsonPropertyName("student_number")]
    public string? StudentNumber { get; set; }

    public string? Grade { get; set; }

    /// <summary>Recorded Clever data sometimes carries the email inside the student role.</summary>
    public string? Email { get; set; }
}

public sealed class CleverTeacherRole
{
    public string? School { get; set; }
    public List<string>? Schools { get; set; }
    public string? Title { get; set; }
}

public sealed class CleverSchool : ICleverRecord
{
    public string? Id { get; set; }

    [JsonIgnore]
    public bool IsMalformed { get; set; }
    public string? District { get; set; }
    public string? Name { get; set; }
}

/// <summary>An entry of the Events API; <see cref="Data"/> holds the object's state after the change.</summary>
public sealed class CleverEvent : ICleverRecord
{
    public string? Id { get; set; }

    [JsonIgnore]
    public bool IsMalformed { get; set; }
    public string? Type { get; set; }
    public CleverEventData? Data { get; set; }
}

public sealed class CleverEventData
{
    public JsonElement Object { get; set; }

    /// <summary>The changed fields' values before the change, nested like the object (updated events only).</summary>
    [JsonPropertyName("previous_attributes")]
    public JsonElement? PreviousAttributes { get; set; }
}

/// <summary>Response of <c>GET /oauth/tokens?owner_type=district</c>.</summary>
public sealed class CleverTokenListResponse
{
    public List<CleverDistrictToken>? Data { get; set; }
}

public sealed class CleverDistrictToken
{
    public string? Id { get; set; }
    public CleverTokenOwner? Owner { get; set; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    public List<string>? Scopes { get; set; }

    /// <summary>Real Clever gives no lifetime; a compatible server (the simulator) may.</summary>
    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; set; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; set; }
}

public sealed class CleverTokenOwner
{
    public string? Type { get; set; }
    public string? Id { get; set; }
}

/// <summary>Error bodies: <c>{"message"}</c> (v3 spec), <c>{"error"}</c> (legacy) or <c>{"error","error_description"}</c> (tokens).</summary>
public sealed class CleverErrorBody
{
    public string? Message { get; set; }
    public string? Error { get; set; }

    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientStringConverter)])]
[JsonSerializable(typeof(CleverApiResponse<CleverUser>))]
[JsonSerializable(typeof(CleverApiResponse<CleverEvent>))]
[JsonSerializable(typeof(CleverApiResponse<CleverSchool>))]
[JsonSerializable(typeof(CleverUser))]
[JsonSerializable(typeof(CleverTokenListResponse))]
[JsonSerializable(typeof(CleverErrorBody))]
internal sealed partial class CleverJsonContext : JsonSerializerContext;
