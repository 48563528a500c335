using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;

namespace CleverSyncSOS.Sync.Entities;

/// <summary>
/// Where records come from in Clever (a school's students, its sections...), how one is recognised in the
/// event stream, and how a record is checked against what was asked. Several entities may share a source:
/// sections and their enrollments are read once and written to three tables.
/// </summary>
public abstract class CleverSource
{
    /// <summary>For logs and progress: "student users", "sections".</summary>
    public abstract string Name { get; }

    /// <summary>The record type of its events (<c>users</c>, <c>sections</c>).</summary>
    public abstract string EventRecordType { get; }

    public abstract IAsyncEnumerable<object> ReadAsync(CleverApiClient clever, DistrictCredentials district, string schoolId, CancellationToken cancellationToken);

    public abstract string? IdOf(object record);

    public abstract DateTime? LastModifiedOf(object record);

    /// <summary>Why the record is not what was asked for (another role, school or district), or null when it is.</summary>
    public abstract string? Mismatch(object record, ReadScope scope);

    /// <summary>The record an event carries, or null when it cannot be read.</summary>
    public abstract object? ParseEvent(JsonElement data);

    /// <summary>
    /// Whether a record names the schools it belongs to (users, sections). Courses and terms do not: in the district's
    /// event stream they concern a school that holds them or whose sections name them (<see cref="LinksOf"/>).
    /// </summary>
    public abstract bool NamesItsSchool { get; }

    /// <summary>The records of other types this record names (a section's course and term), as (record type, id).</summary>
    public abstract IEnumerable<(string RecordType, string Id)> LinksOf(object record);

    /// <summary>
    /// The schools a record names, in any role (empty when <see cref="NamesItsSchool"/> is false). Also read from an
    /// event's previous attributes, parsed as a partial record, for the schools it named before the change.
    /// </summary>
    public abstract IEnumerable<string> SchoolsOf(object record);
}

/// <summary>A source of records of one Clever type.</summary>
public sealed class CleverSource<TRecord> : CleverSource where TRecord : class
{
    public required string Description { get; init; }
    public required string RecordType { get; init; }
    public required Func<CleverApiClient, DistrictCredentials, string, CancellationToken, IAsyncEnumerable<TRecord>> Read { get; init; }
    public required Func<TRecord, string?> Id { get; init; }
    public required Func<TRecord, DateTime?> LastModified { get; init; }
    public required Func<TRecord, ReadScope, string?> Check { get; init; }
    public required JsonTypeInfo<TRecord> JsonType { get; init; }
    public bool SchoolNamed { get; init; } = true;
    public Func<TRecord, IEnumerable<(string RecordType, string? Id)>>? Links { get; init; }
    public Func<TRecord, IEnumerable<string?>>? Schools { get; init; }

    public override string Name => Description;
    public override string EventRecordType => RecordType;

    // IAsyncEnumerable is covariant: the records are handed on as they are, without a second iterator per record.
    public override IAsyncEnumerable<object> ReadAsync(CleverApiClient clever, DistrictCredentials district, string schoolId, CancellationToken cancellationToken) =>
        Read(clever, district, schoolId, cancellationToken);

    public override string? IdOf(object record) => Id((TRecord)record);
    public override DateTime? LastModifiedOf(object record) => LastModified((TRecord)record);
    public override string? Mismatch(object record, ReadScope scope) => Check((TRecord)record, scope);
    public override bool NamesItsSchool => SchoolNamed;

    public override IEnumerable<(string RecordType, string Id)> LinksOf(object record) =>
        Links is null ? [] : Links((TRecord)record).Where(l => l.Id is { Length: > 0 }).Select(l => (l.RecordType, l.Id!));

    public override IEnumerable<string> SchoolsOf(object record) =>
        Schools is null ? [] : Schools((TRecord)record).Where(s => s is { Length: > 0 }).Select(s => s!);

    public override object? ParseEvent(JsonElement data)
    {
        try
        {
            return data.ValueKind == JsonValueKind.Object ? data.Deserialize(JsonType) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
