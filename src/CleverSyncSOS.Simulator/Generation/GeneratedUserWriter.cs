using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
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

        w.WriteStartObject();
        w.WriteString("id", Roster.Ids.Format(IdKind.User, counter));
        w.WriteString("district", district.Id);
        // Clever does not guarantee email for anyone; ~5% of students lack one (absent key, not null), and with
        // messy data ~10% of teachers too.
        var noEmail = isStudent ? random.Chance(5) : Roster.Messy && random.Chance(10);
        if (!noEmail) w.WriteString("email", name.EmailLocal + "@" + district.Domain);

        w.WriteStartObject("name");
        w.WriteString("first", name.First);
        // Recorded Clever data lacks name.middle for about half the users.
        if (random.Chance(50)) w.WriteString("middle", Roster.Names.FirstName(ref random));
        w.WriteString("last", name.Last);
        w.WriteEndObject();

        var created = CreatedBase.AddSeconds(counter).AddMilliseconds(random.Next(1000));
        w.WriteString("created", Timestamps.Format(created));
        w.WriteString("last_modified", Timestamps.Format(created.AddSeconds(random.Next(30 * 24 * 3600))));

        w.WriteStartObject("roles");
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
        var number = (100000 + counter).ToString(CultureInfo.InvariantCulture);
        var grade = school.LowGrade + random.Next(school.HighGrade - school.LowGrade + 1);
        var birthYear = 2019 - grade - (random.Chance(25) ? 1 : 0);
        var roll = random.Next(100);
        var gender = roll < 2 ? "X" : roll < 51 ? "F" : "M";

        w.WriteStartObject("student");
        WriteSchools(w, school, second, withPrimary: true);
        w.WriteString("sis_id", number);
        w.WriteString("student_number", number);
        w.WriteString("state_id", StateId(counter));
        // Messy data: "" for enums now and then (Clever's way of saying "not known") and no graduation_year.
        var messy = Roster.Messy ? random.Next(100) : 100;
        w.WriteString("grade", messy < 3 ? "" : Grades.Names[grade]);
        w.WriteString("dob", string.Create(CultureInfo.InvariantCulture, $"{1 + random.Next(12)}/{1 + random.Next(28)}/{birthYear}"));
        w.WriteString("gender", messy is >= 3 and < 6 ? "" : gender);
        if (messy is < 6 or >= 16) w.WriteString("graduation_year", (2025 + 12 - grade).ToString(CultureInfo.InvariantCulture));
        w.WriteString("race", Races[random.Next(Races.Length)]);
        w.WriteString("hispanic_ethnicity", random.Chance(20) ? "Y" : "N");
        w.WriteString("ell_status", random.Chance(10) ? "Y" : "N");
        w.WriteStartObject("credentials");
        w.WriteString("district_username", name.EmailLocal);
        w.WriteEndObject();
        w.WriteStartArray("enrollments");
        w.WriteStartObject();
        w.WriteString("school", school.Id);
        w.WriteString("start_date", "2024-08-20T00:00:00.000Z");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("legacy_id", Roster.Ids.Format(IdKind.Legacy, counter));
        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteTeacherRole(Utf8JsonWriter w, long counter, SchoolState school, SchoolState? second, PersonName name, ref DeterministicRandom random)
    {
        w.WriteStartObject("teacher");
        WriteSchools(w, school, second, withPrimary: true);
        w.WriteString("sis_id", "T-" + counter.ToString(CultureInfo.InvariantCulture));
        w.WriteString("teacher_number", (200000 + counter).ToString(CultureInfo.InvariantCulture));
        w.WriteString("state_id", StateId(counter));
        w.WriteString("title", TeacherTitles[random.Next(TeacherTitles.Length)]);
        w.WriteStartObject("credentials");
        w.WriteString("district_username", name.EmailLocal);
        w.WriteEndObject();
        w.WriteString("legacy_id", Roster.Ids.Format(IdKind.Legacy, counter));
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
        if (withPrimary) w.WriteString("school", school.Id);
        w.WriteStartArray("schools");
        w.WriteStringValue(school.Id);
        if (second is not null) w.WriteStringValue(second.Id);
        w.WriteEndArray();
    }

    // (counter * prime) mod 9e9 is a permutation, so state ids are unique 10-digit strings.
    private string StateId(long counter) =>
        (1_000_000_000L + (counter * 7919 + (long)(Roster.SeedHash % 1_000_000)) % 9_000_000_000L).ToString(CultureInfo.InvariantCulture);
}
