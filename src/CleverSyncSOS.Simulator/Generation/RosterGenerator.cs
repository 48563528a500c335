using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Bogus;
using CleverSyncSOS.Simulator.Data;

namespace CleverSyncSOS.Simulator.Generation;

/// <summary>
/// Builds the districts and schools; they are few, so Bogus with a fixed seed is used directly
/// (users are many and are derived on demand by <see cref="GeneratedUserWriter"/> instead).
/// </summary>
internal static class RosterGenerator
{
    private static readonly string[] SchoolKinds = ["Elementary School", "Middle School", "High School"];
    private static readonly (int Low, int High)[] SchoolGrades = [(0, 5), (6, 8), (9, 12)];

    public static (List<DistrictState> Districts, List<SchoolState> Schools) CreateOrganizations(SimulatorOptions options, ObjectIds ids, ulong seedHash)
    {
        var faker = new Faker("en") { Random = new Randomizer(options.Seed) };
        var districts = new List<DistrictState>();
        var schools = new List<SchoolState>();
        var domains = new HashSet<string>(StringComparer.Ordinal);
        long schoolCounter = 0;

        for (var d = 0; d < options.Districts; d++)
        {
            var city = faker.Address.City();
            var slug = new string(city.Where(char.IsAsciiLetter).Select(char.ToLowerInvariant).ToArray());
            if (slug.Length == 0) slug = "district";
            var domain = slug + "usd.org";
            for (var n = 2; !domains.Add(domain); n++) domain = slug + n.ToString(CultureInfo.InvariantCulture) + "usd.org";

            // One application connected to every district (Clever's model) shares one client id and secret.
            var credentials = new DeterministicRandom(seedHash, options.OneApplication ? -1000 : -1000 - d);
            var district = new DistrictState
            {
                Index = d,
                Id = ids.Format(IdKind.District, d + 1),
                Name = city + " Unified School District",
                Domain = domain,
                ClientId = credentials.Hex(20),
                ClientSecret = credentials.Hex(40),
            };
            var contactFirst = faker.Name.FirstName();
            var contactLast = faker.Name.LastName();
            district.Json = Serialize(w => WriteDistrict(w, district, ids.Format(IdKind.Contact, d + 1), contactFirst, contactLast, faker));
            districts.Add(district);

            for (var s = 0; s < options.SchoolsPerDistrict; s++)
            {
                // One school per district spans K-12 so every grade exists; otherwise elementary/middle/high in turn.
                var kind = options.SchoolsPerDistrict == 1 ? "K-12 Academy" : SchoolKinds[s % 3];
                var (low, high) = options.SchoolsPerDistrict == 1 ? (0, 12) : SchoolGrades[s % 3];
                var counter = ++schoolCounter;
                var id = ids.Format(IdKind.School, counter);
                var name = faker.Name.LastName() + " " + kind;
                var school = new SchoolState
                {
                    Index = schools.Count,
                    Counter = counter,
                    DistrictIndex = d,
                    Id = id,
                    Name = name,
                    LowGrade = low,
                    HighGrade = high,
                    Json = Serialize(w => WriteSchool(w, id, district, name, counter, low, high, faker)),
                };
                schools.Add(school);
                district.Schools.Add(school);
            }
        }
        return (districts, schools);
    }

    /// <summary>About one teacher in eight also holds a staff role (Clever's multi-role users).</summary>
    public static bool IsAlsoStaff(ulong seedHash, long counter) => StableMix.Combine(seedHash, (ulong)counter) % 8 == 0;

    /// <summary>
    /// The compact form of a generated user. With messy data about 3 % of users are also listed at a sibling school
    /// and 2 % of students also hold a teacher role, as real districts have.
    /// </summary>
    public static GeneratedPerson Person(PersonKind kind, SchoolState school, IReadOnlyList<SchoolState> districtSchools, ulong seedHash, long counter, bool messy)
    {
        var alsoStaff = kind == PersonKind.Teacher && IsAlsoStaff(seedHash, counter);
        if (!messy)
        {
            return new GeneratedPerson(kind, school.Index, alsoStaff);
        }

        var mix = StableMix.Combine(seedHash ^ 0x9E3779B97F4A7C15UL, (ulong)counter);
        var second = -1;
        if (districtSchools.Count > 1 && mix % 32 == 0)
        {
            var position = districtSchools.Count - 1;
            for (var i = 0; i < districtSchools.Count; i++)
            {
                if (districtSchools[i] == school) position = i;
            }

            second = districtSchools[(position + 1 + (int)((mix >> 8) % (ulong)(districtSchools.Count - 1))) % districtSchools.Count].Index;
        }

        return new GeneratedPerson(kind, school.Index, alsoStaff, second, kind == PersonKind.Student && mix % 50 == 7);
    }

    private static void WriteDistrict(Utf8JsonWriter w, DistrictState d, string contactId, string contactFirst, string contactLast, Faker faker)
    {
        w.WriteStartObject();
        w.WriteString("id", d.Id);
        w.WriteString("name", d.Name);
        w.WriteString("sis_type", "sftp");
        w.WriteString("launch_date", "2024-08-01");
        w.WriteString("portal_url", "https://clever.com/in/" + d.Domain.Replace("usd.org", "", StringComparison.Ordinal));
        w.WriteStartArray("login_methods");
        w.WriteStringValue("Clever Badges");
        w.WriteStringValue("Clever Passwords");
        w.WriteEndArray();
        w.WriteString("state", "running");
        w.WriteString("error", "");
        w.WriteString("last_sync", "2024-09-12T07:55:01.000Z");
        w.WriteString("pause_start", "");
        w.WriteString("pause_end", "");
        w.WriteString("mdr_number", faker.Random.ReplaceNumbers("#######"));
        w.WriteString("nces_id", faker.Random.ReplaceNumbers("#######"));
        w.WriteStartObject("district_contact");
        w.WriteString("id", contactId);
        w.WriteString("district", d.Id);
        w.WriteString("email", "it@" + d.Domain);
        w.WriteStartObject("name");
        w.WriteString("first", contactFirst);
        w.WriteString("last", contactLast);
        w.WriteEndObject();
        w.WriteString("title", "IT Director");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteSchool(Utf8JsonWriter w, string id, DistrictState d, string name, long counter, int low, int high, Faker faker)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("district", d.Id);
        w.WriteString("name", name);
        var number = (1000 + counter).ToString(CultureInfo.InvariantCulture);
        w.WriteString("sis_id", number);
        w.WriteString("school_number", number);
        w.WriteString("state_id", faker.Random.ReplaceNumbers("########"));
        w.WriteString("nces_id", faker.Random.ReplaceNumbers("############"));
        w.WriteString("mdr_number", faker.Random.ReplaceNumbers("########"));
        w.WriteString("low_grade", Grades.Names[low]);
        w.WriteString("high_grade", Grades.Names[high]);
        w.WriteString("phone", faker.Phone.PhoneNumber("(###) ###-####"));
        var principalFirst = faker.Name.FirstName();
        var principalLast = faker.Name.LastName();
        w.WriteStartObject("principal");
        w.WriteString("name", principalFirst + " " + principalLast);
        w.WriteString("email", (principalFirst + "." + principalLast).ToLowerInvariant().Replace("'", "", StringComparison.Ordinal) + "@" + d.Domain);
        w.WriteEndObject();
        w.WriteStartObject("location");
        w.WriteString("address", faker.Address.StreetAddress());
        w.WriteString("city", d.Name.Replace(" Unified School District", "", StringComparison.Ordinal));
        w.WriteString("state", faker.Address.StateAbbr());
        w.WriteString("zip", faker.Address.ZipCode("#####"));
        w.WriteEndObject();
        w.WriteString("created", "2024-07-15T12:00:00.000Z");
        w.WriteString("last_modified", "2024-08-01T12:00:00.000Z");
        w.WriteEndObject();
    }

    private static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
