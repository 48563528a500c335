using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CleverSyncSOS.Simulator.Data;

namespace CleverSyncSOS.Simulator.Generation;

/// <summary>
/// Writes a generated user's Clever JSON straight from (seed, counter): no per-user object graph is
/// kept, which is what lets a school hold a million students and still serve a 10,000-user page fast.
/// The same bytes are parsed into a JsonObject the first time a user is modified, so both paths agree.
/// </summary>
internal sealed class GeneratedUserWriter(RosterContext roster)
{
    private static readonly DateTimeOffset CreatedBase = new(2024, 8, 1, 17, 0, 0, TimeSpan.Zero);

    internal static readonly string[] TeacherTitles =
    [
        "Math Teacher", "Science Teacher", "English Teacher", "History Teacher", "Art Teacher",
        "Music Teacher", "PE Teacher", "Special Education Teacher", "Spanish Teacher", "Homeroom Teacher",
    ];

    private static readonly string[] StaffDepartments = ["Counseling", "Administration", "Library", "Technology", "Athletics"];
    private static readonly string[] StaffTitles = ["Counselor", "Assistant Principal", "Librarian", "Technology Coordinator", "Athletic Director"];
    private static readonly string[] Races = ["Asian", "Black or African American", "White", "American Indian or Alaska Native", "Native Hawaiian or Other Pacific Islander", "Two or More Races", "Unknown", ""];

    public RosterContext Roster { get; } = roster;

    public byte[] ToBytes(long counter, in GeneratedPerson person)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            Write(writer, counter, person);
        }
        return buffer.WrittenSpan.ToArray();
    }

    // Hot path of every large page: skip tier-0 so the first 10,000-user pages are not slow.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(Utf8JsonWriter w, long counter, in GeneratedPerson person)
    {
        var school = Roster.Schools[person.SchoolIndex];
        var district = Roster.Districts[school.DistrictIndex];
        var random = new DeterministicRandom(Roster.SeedHash, counter);
        var name = Roster.Names.NameFor(counter);
        var isStudent = person.Kind == PersonKind.Student;

        // Names as UTF-8 literals and values formatted into stack bytes: the same JSON as writing strings, without a
        // string per value and its transcoding (most of the simulator's share of the CPU in a benchmarked sync).
        Span<byte> text = stackalloc byte[32];
        w.WriteStartObject();
        w.WriteString("id"u8, Roster.Ids.FormatUtf8(IdKind.User, counter, text));
        w.WriteString("district"u8, district.Id);
        // Clever does not guarantee email for anyone; ~5% of students lack one (absent key, not null), and with
        // messy data ~10% of teachers too.
        var noEmail = isStudent ? random.Chance(5) : Roster.Messy && random.Chance(10);
        if (!noEmail) WriteEmail(w, name.EmailLocal, district.Domain);

        w.WriteStartObject("name"u8);
        w.WriteString("first"u8, name.First);
        // Recorded Clever data lacks name.middle for about half the users.
        if (random.Chance(50)) w.WriteString("middle"u8, Roster.Names.FirstName(ref random));
        w.WriteString("last"u8, name.Last);
        w.WriteEndObject();

        var created = CreatedBase.AddSeconds(counter).AddMilliseconds(random.Next(1000));
        w.WriteString("created"u8, Timestamps.FormatUtf8(created, text));
        w.WriteString("last_modified"u8, Timestamps.FormatUtf8(created.AddSeconds(random.Next(30 * 24 * 3600)), text));

        w.WriteStartObject("roles"u8);
        var second = person.SecondSchoolIndex >= 0 ? Roster.Schools[person.SecondSchoolIndex] : null;
        if (isStudent)
        {
            WriteStudentRole(w, counter, school, second, name, ref random);
            if (person.AlsoTeacher) WriteTeacherRole(w, counter, school, second, name, ref random);
        }
        else
        {
            WriteTeacherRole(w, counter, school, second, name, ref random);
            if (person.AlsoStaff) WriteStaffRole(w, counter, school, name, ref random);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteStudentRole(Utf8JsonWriter w, long counter, SchoolState school, SchoolState? second, PersonName name, ref DeterministicRandom random)
    {
        Span<byte> text = stackalloc byte[32];
        var grade = school.LowGrade + random.Next(school.HighGrade - school.LowGrade + 1);
        var birthYear = 2019 - grade - (random.Chance(25) ? 1 : 0);
        var roll = random.Next(100);
        var gender = roll < 2 ? "X"u8 : roll < 51 ? "F"u8 : "M"u8;

        w.WriteStartObject("student"u8);
        WriteSchools(w, school, second, withPrimary: true);
        var number = Number(100000 + counter, text);
        w.WriteString("sis_id"u8, number);
        w.WriteString("student_number"u8, number);
        w.WriteString("state_id"u8, Number(StateId(counter), text));
        // Messy data: "" for enums now and then (Clever's way of saying "not known") and no graduation_year.
        var messy = Roster.Messy ? random.Next(100) : 100;
        w.WriteString("grade"u8, messy < 3 ? "" : Grades.Names[grade]);
        var month = 1 + random.Next(12);
        var day = 1 + random.Next(28);
        month.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        text[length++] = (byte)'/';
        day.TryFormat(text[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
        text[length++] = (byte)'/';
        birthYear.TryFormat(text[length..], out written, default, CultureInfo.InvariantCulture);
        w.WriteString("dob"u8, text[..(length + written)]);
        w.WriteString("gender"u8, messy is >= 3 and < 6 ? ""u8 : gender);
        if (messy is < 6 or >= 16) w.WriteString("graduation_year"u8, Number(2025 + 12 - grade, text));
        w.WriteString("race"u8, Races[random.Next(Races.Length)]);
        w.WriteString("hispanic_ethnicity"u8, random.Chance(20) ? "Y"u8 : "N"u8);
        w.WriteString("ell_status"u8, random.Chance(10) ? "Y"u8 : "N"u8);
        w.WriteStartObject("credentials"u8);
        w.WriteString("district_username"u8, name.EmailLocal);
        w.WriteEndObject();
        w.WriteStartArray("enrollments"u8);
        w.WriteStartObject();
        w.WriteString("school"u8, school.Id);
        w.WriteString("start_date"u8, "2024-08-20T00:00:00.000Z"u8);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("legacy_id"u8, Roster.Ids.FormatUtf8(IdKind.Legacy, counter, text));
        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteTeacherRole(Utf8JsonWriter w, long counter, SchoolState school, SchoolState? second, PersonName name, ref DeterministicRandom random)
    {
        Span<byte> text = stackalloc byte[32];
        w.WriteStartObject("teacher"u8);
        WriteSchools(w, school, second, withPrimary: true);
        "T-"u8.CopyTo(text);
        counter.TryFormat(text[2..], out var digits, default, CultureInfo.InvariantCulture);
        w.WriteString("sis_id"u8, text[..(2 + digits)]);
        w.WriteString("teacher_number"u8, Number(200000 + counter, text));
        w.WriteString("state_id"u8, Number(StateId(counter), text));
        w.WriteString("title"u8, TeacherTitles[random.Next(TeacherTitles.Length)]);
        w.WriteStartObject("credentials"u8);
        w.WriteString("district_username"u8, name.EmailLocal);
        w.WriteEndObject();
        w.WriteString("legacy_id"u8, Roster.Ids.FormatUtf8(IdKind.Legacy, counter, text));
        w.WriteEndObject();
    }

    private void WriteStaffRole(Utf8JsonWriter w, long counter, SchoolState school, PersonName name, ref DeterministicRandom random)
    {
        var which = random.Next(StaffTitles.Length);
        w.WriteStartObject("staff");
        WriteSchools(w, school, null, withPrimary: false); // Clever's staff role has schools[] only
        w.WriteString("staff_id", "S-" + counter.ToString(CultureInfo.InvariantCulture));
        w.WriteString("title", StaffTitles[which]);
        w.WriteString("department", StaffDepartments[which]);
        w.WriteStartObject("credentials");
        w.WriteString("district_username", name.EmailLocal);
        w.WriteEndObject();
        w.WriteString("legacy_id", Roster.Ids.Format(IdKind.Legacy, counter));
        w.WriteEndObject();
    }

    private static void WriteSchools(Utf8JsonWriter w, SchoolState school, SchoolState? second, bool withPrimary)
    {
        if (withPrimary) w.WriteString("school"u8, school.Id);
        w.WriteStartArray("schools"u8);
        w.WriteStringValue(school.Id);
        if (second is not null) w.WriteStringValue(second.Id);
        w.WriteEndArray();
    }

    // (counter * prime) mod 9e9 is a permutation, so state ids are unique 10-digit numbers.
    private long StateId(long counter) => 1_000_000_000L + (counter * 7919 + (long)(Roster.SeedHash % 1_000_000)) % 9_000_000_000L;

    private static ReadOnlySpan<byte> Number(long value, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return destination[..written];
    }

    /// <summary>local@domain without building the string (names and domains are ASCII or short; the buffer grows otherwise).</summary>
    private static void WriteEmail(Utf8JsonWriter w, string local, string domain)
    {
        Span<byte> buffer = stackalloc byte[256];
        var length = Encoding.UTF8.GetMaxByteCount(local.Length + 1 + domain.Length);
        var bytes = length <= buffer.Length ? buffer : new byte[length];
        var written = Encoding.UTF8.GetBytes(local, bytes);
        bytes[written++] = (byte)'@';
        written += Encoding.UTF8.GetBytes(domain, bytes[written..]);
        w.WriteString("email"u8, bytes[..written]);
    }
}
