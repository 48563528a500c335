using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleverSyncSOS.Simulator.Generation;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>
/// One stored user. A generated, untouched user is just its counter and a <see cref="GeneratedPerson"/>;
/// once added or modified it holds a <see cref="JsonObject"/> (kept verbatim, so tests can inject odd
/// records) plus a cached serialization that is dropped on every change. Mutated only under the store lock.
/// </summary>
internal sealed class UserRecord
{
    private byte[]? _bytes;
    private RoleMembership[] _memberships = [];

    public UserRecord(long counter, int districtIndex, GeneratedPerson generated)
    {
        Counter = counter;
        DistrictIndex = districtIndex;
        Generated = generated;
    }

    public UserRecord(long counter, int districtIndex, JsonObject json)
    {
        Counter = counter;
        DistrictIndex = districtIndex;
        SetJson(json);
    }

    public long Counter { get; }
    public int DistrictIndex { get; set; }
    public bool Removed { get; set; }
    public GeneratedPerson Generated { get; }

    /// <summary>Null while the user is still in its generated form.</summary>
    public JsonObject? Json { get; private set; }

    public void SetJson(JsonObject json)
    {
        Json = json;
        _bytes = null;
        _memberships = RoleMembership.From(json);
    }

    public bool HasRole(string role)
    {
        if (Json is null)
        {
            return Generated.Kind == PersonKind.Student
                ? role == "student" || (role == "teacher" && Generated.AlsoTeacher)
                : role == "teacher" || (role == "staff" && Generated.AlsoStaff);
        }
        foreach (var m in _memberships)
        {
            if (m.Role == role) return true;
        }
        return false;
    }

    /// <summary>True when the user belongs to <paramref name="school"/> through <paramref name="role"/> (any role when null).</summary>
    public bool InSchool(SchoolState school, string? role)
    {
        if (Json is null) return Generated.IsAt(school.Index) && (role is null || HasRole(role));
        foreach (var m in _memberships)
        {
            if (role is not null && m.Role != role) continue;
            if (Array.IndexOf(m.Schools, school.Id) >= 0) return true;
        }
        return false;
    }

    /// <summary>Every school id the user is attached to, through any role.</summary>
    public IEnumerable<string> SchoolIds(IReadOnlyList<SchoolState> schools) =>
        Json is null
            ? Generated.SecondSchoolIndex >= 0 ? [schools[Generated.SchoolIndex].Id, schools[Generated.SecondSchoolIndex].Id] : [schools[Generated.SchoolIndex].Id]
            : _memberships.SelectMany(m => m.Schools).Distinct(StringComparer.Ordinal);

    /// <summary>An immutable view to serialize outside the store lock.</summary>
    public UserSnapshot Snapshot() => Json is null ? new UserSnapshot(Counter, Generated, null) : new UserSnapshot(Counter, default, CachedBytes());

    public byte[] CachedBytes()
    {
        if (_bytes is null)
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
            {
                Json!.WriteTo(writer);
            }
            _bytes = buffer.WrittenSpan.ToArray();
        }
        return _bytes;
    }
}

/// <summary>What a page needs to write one user without holding the store lock.</summary>
internal readonly record struct UserSnapshot(long Counter, GeneratedPerson Generated, byte[]? Json);
