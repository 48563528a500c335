using System.Buffers;
using System.Text.Json;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>A section as Clever serves it; its enrollments are <c>students[]</c> and <c>teachers[]</c> (Clever has no enrollment object).</summary>
internal sealed class SectionRecord
{
    public required long Counter { get; init; }
    public required string Id { get; init; }
    public required int DistrictIndex { get; init; }
    public required string SchoolId { get; init; }
    public required string CourseId { get; init; }
    public required string TermId { get; init; }
    public required string Name { get; set; }
    public required string Period { get; set; }
    public required string Subject { get; init; }
    public required string Grade { get; init; }
    public required string SectionNumber { get; init; }
    public required string SisId { get; init; }
    public string? Teacher { get; set; }
    public List<string> Teachers { get; init; } = [];
    public List<string> Students { get; init; } = [];
    public required string Created { get; init; }
    public required string LastModified { get; set; }
    public bool Removed { get; set; }

    public byte[] ToBytes(string districtId) => ClassJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("district", districtId);
        w.WriteString("school", SchoolId);
        w.WriteString("course", CourseId);
        w.WriteString("term_id", TermId);
        w.WriteString("name", Name);
        w.WriteString("period", Period);
        w.WriteString("grade", Grade);
        w.WriteString("subject", Subject);
        w.WriteString("sis_id", SisId);
        w.WriteString("section_number", SectionNumber);
        if (Teacher is not null) w.WriteString("teacher", Teacher);
        ClassJson.WriteIds(w, "teachers", Teachers);
        ClassJson.WriteIds(w, "students", Students);
        w.WriteString("created", Created);
        w.WriteString("last_modified", LastModified);
        w.WriteEndObject();
    });
}

/// <summary>A course (Clever sends no created/last_modified for it).</summary>
internal sealed class CourseRecord
{
    public required long Counter { get; init; }
    public required string Id { get; init; }
    public required int DistrictIndex { get; init; }
    public required string Name { get; set; }
    public required string Number { get; init; }
    public required string Subject { get; init; }

    public byte[] ToBytes(string districtId) => ClassJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("district", districtId);
        w.WriteString("name", Name);
        w.WriteString("number", Number);
        w.WriteEndObject();
    });
}

/// <summary>A term; its dates are strings, and not always in one format (as in recorded Clever data).</summary>
internal sealed class TermRecord
{
    public required long Counter { get; init; }
    public required string Id { get; init; }
    public required int DistrictIndex { get; init; }
    public required string Name { get; set; }
    public required string StartDate { get; init; }
    public required string EndDate { get; init; }

    public byte[] ToBytes(string districtId) => ClassJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("district", districtId);
        w.WriteString("name", Name);
        w.WriteString("start_date", StartDate);
        w.WriteString("end_date", EndDate);
        w.WriteEndObject();
    });
}

internal static class ClassJson
{
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteIds(Utf8JsonWriter w, string name, IEnumerable<string> ids)
    {
        w.WriteStartArray(name);
        foreach (var id in ids) w.WriteStringValue(id);
        w.WriteEndArray();
    }
}
