using CleverSyncSOS.Sync.Entities;
using System.Globalization;
using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>Sections, courses, terms and enrollments, with the guarantees students and teachers have.</summary>
public sealed class ClassSyncTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sections_with_their_enrollments_courses_and_terms_arrive_equal_to_what_the_simulator_serves_field_by_field(DatabaseProvider provider)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 60, teachers: 12, schools: 2),
            s => s["CleverSyncSOS:CleverApi:PageSize"] = "5", provider: provider);
        await env.OnboardAsync();

        var results = await env.SyncAsync();

        Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
        foreach (var school in env.District.Schools)
        {
            await using var db = await OpenAsync(env, school.Id);
            AssertSectionsEqual(env.Simulator.Store.GetSections(school.Id), await db.Sections.AsNoTracking().ToListAsync(),
                await db.SectionStudents.AsNoTracking().ToListAsync(), await db.SectionTeachers.AsNoTracking().ToListAsync());

            var courses = await db.Courses.AsNoTracking().ToListAsync();
            Assert.Equal(
                env.Simulator.Store.GetCourses(school.Id).Select(c => ((string)c["id"]!, (string?)c["name"], (string?)c["number"])).Order(),
                courses.Select(c => (c.CleverCourseId, c.Name, c.Number)).Order());
            var terms = await db.Terms.AsNoTracking().ToListAsync();
            Assert.Equal(
                env.Simulator.Store.GetTerms(school.Id).Select(t => ((string)t["id"]!, (string?)t["name"], Date((string)t["start_date"]!), Date((string)t["end_date"]!))).Order(),
                terms.Select(t => (t.CleverTermId, t.Name, t.StartDate, t.EndDate)).Order());
            Assert.Contains(terms, t => t.StartDate == new DateTime(2027, 1, 5, 0, 0, 0, DateTimeKind.Utc)); // served as "1/5/2027"
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_student_moved_between_sections_is_one_enrollment_deleted_and_one_created_and_nothing_else_written(bool events)
    {
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        simulator.InitialEvents = events;
        simulator.EventsEnabled = events;
        await using var env = await SyncTestEnvironment.StartAsync(simulator);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var before = await EnrollmentsAsync(env, school.Id);
        var sections = env.Simulator.Store.GetSections(school.Id);
        var from = sections[0];
        var student = (string)from["students"]!.AsArray()[0]!;
        var to = sections.First(s => !s["students"]!.AsArray().Any(x => (string)x! == student));
        Assert.True(env.Simulator.Store.MoveStudentBetweenSections(student, (string)from["id"]!, (string)to["id"]!));

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(events ? SyncType.Incremental : SyncType.Reconciliation, result.SyncType);
        var enrollments = result.Entities.Single(e => e.EntityType == SyncEntityType.SectionStudent);
        Assert.Equal((1, 0, 1), (enrollments.Created, enrollments.Updated, enrollments.Deleted));
        Assert.All(result.Entities.Where(e => e.EntityType is SyncEntityType.Student or SyncEntityType.Teacher or SyncEntityType.SectionTeacher),
            e => Assert.Equal((0, 0, 0), (e.Created, e.Updated, e.Deleted)));
        var after = await EnrollmentsAsync(env, school.Id);
        var left = new Enrollment((string)from["id"]!, student, false).Key;
        var joined = new Enrollment((string)to["id"]!, student, false).Key;
        Assert.DoesNotContain(left, after.Keys);
        Assert.Contains(joined, after.Keys);
        // Every other enrollment row is the same row, untouched.
        Assert.Equal(before.Where(b => b.Key != left), after.Where(a => a.Key != joined));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_section_emptied_by_a_bad_export_is_held_by_the_guard_until_an_operator_allows_it(DatabaseProvider provider)
    {
        var simulator = SyncTestEnvironment.SmallDistrict(students: 300, teachers: 6, schools: 1);
        simulator.EventsEnabled = false;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, provider: provider);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var section = env.Simulator.Store.GetSectionIds(school.Id)[2];
        var before = (await EnrollmentsAsync(env, school.Id)).Count;
        var removed = env.Simulator.Store.KeepOnlyFractionOfSection(section, 0.1);
        Assert.True(removed * 10 < before * 3, "the school as a whole loses far less than the guard's share");

        var guarded = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Partial, guarded.Status);
        var enrollments = guarded.Entities.Single(e => e.EntityType == SyncEntityType.SectionStudent);
        Assert.Equal(0, enrollments.Deleted);
        Assert.Contains($"{removed} of {removed + (int)Math.Round(removed / 9.0)} student enrollments of {section}", enrollments.Warning);
        Assert.Equal(before, (await EnrollmentsAsync(env, school.Id)).Count);
        Assert.True((await env.SchoolAsync(school.Id)).RequiresFullSync);

        var allowed = Assert.Single(await env.SyncAsync(new SyncRequest(school.Id, ForceFull: true, AllowMassDelete: true)));

        Assert.Equal(SyncStatus.Success, allowed.Status);
        Assert.Equal(removed, allowed.Entities.Single(e => e.EntityType == SyncEntityType.SectionStudent).Deleted);
        Assert.Equal(before - removed, (await EnrollmentsAsync(env, school.Id)).Count);
    }

    [Fact]
    public async Task A_section_deleted_in_Clever_takes_its_enrollments_with_it_without_tripping_the_per_section_guard()
    {
        var simulator = SyncTestEnvironment.SmallDistrict(students: 300, teachers: 6, schools: 1);
        simulator.EventsEnabled = false;
        await using var env = await SyncTestEnvironment.StartAsync(simulator);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var section = env.Simulator.Store.GetSectionIds(school.Id)[1];
        Assert.True(env.Simulator.Store.RemoveSection(section));

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal(1, result.Entities.Single(e => e.EntityType == SyncEntityType.Section).Deleted);
        Assert.DoesNotContain(await EnrollmentsAsync(env, school.Id), e => e.Key.StartsWith(section, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Section_events_keep_sections_and_their_teachers_in_step()
    {
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        simulator.InitialEvents = true;
        await using var env = await SyncTestEnvironment.StartAsync(simulator);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var ids = env.Simulator.Store.GetSectionIds(school.Id);
        var teacher = env.Simulator.Store.GetUserIds(school.Id, "teacher")[0];
        env.Simulator.Store.RenameSection(ids[0], "Algebra I - Honors");
        var course = (string)env.Simulator.Store.GetSections(school.Id)[2]["course"]!;
        env.Simulator.Store.RenameCourse(course, "Algebra I (new syllabus)");
        env.Simulator.Store.RemoveSection(ids[1]);
        var added = env.Simulator.Store.AddSection(school.Id, teacher, env.Simulator.Store.GetUserIds(school.Id, "student").Take(3));

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal((SyncType.Incremental, SyncStatus.Success), (result.SyncType, result.Status));
        await using var db = await OpenAsync(env, school.Id);
        AssertSectionsEqual(env.Simulator.Store.GetSections(school.Id), await db.Sections.AsNoTracking().ToListAsync(),
            await db.SectionStudents.AsNoTracking().ToListAsync(), await db.SectionTeachers.AsNoTracking().ToListAsync());
        Assert.True((await db.SectionTeachers.SingleAsync(t => t.CleverSectionId == added)).IsPrimary);
        Assert.Equal("Algebra I (new syllabus)", (await db.Courses.SingleAsync(c => c.CleverCourseId == course)).Name);
    }

    internal static void AssertSectionsEqual(IReadOnlyList<JsonObject> served, List<Section> sections, List<SectionStudent> students, List<SectionTeacher> teachers)
    {
        Assert.NotEmpty(served);
        Assert.Equal(served.Select(s => (string)s["id"]!).Order(StringComparer.Ordinal), sections.Select(s => s.CleverSectionId).Order(StringComparer.Ordinal));
        var byId = sections.ToDictionary(s => s.CleverSectionId);
        foreach (var s in served)
        {
            var stored = byId[(string)s["id"]!];
            Assert.Equal(
                (Text(s, "name"), Text(s, "period"), Text(s, "subject"), Text(s, "grade"), Text(s, "section_number"), Text(s, "sis_id"), Text(s, "course"), Text(s, "term_id"), Text(s, "teacher"),
                    DateTime.Parse((string)s["last_modified"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)),
                (stored.Name, stored.Period, stored.Subject, stored.Grade, stored.SectionNumber, stored.SisId, stored.CleverCourseId, stored.CleverTermId, stored.CleverPrimaryTeacherId,
                    stored.LastModifiedInClever!.Value));
        }

        Assert.Equal(
            served.SelectMany(s => s["students"]!.AsArray().Select(x => ((string)s["id"]!, (string)x!))).Order(),
            students.Select(e => (e.CleverSectionId, e.CleverStudentId)).Order());
        Assert.Equal(
            served.SelectMany(s => s["teachers"]!.AsArray().Select(x => ((string)s["id"]!, (string)x!, (string)x! == Text(s, "teacher")))).Order(),
            teachers.Select(e => (e.CleverSectionId, e.CleverTeacherId, e.IsPrimary)).Order());
        Assert.All(students, e => Assert.Equal($"{e.CleverSectionId.Length}:{e.CleverSectionId}:{e.CleverStudentId}", e.EnrollmentKey));
    }

    internal static async Task<SchoolDbContext> OpenAsync(SyncTestEnvironment env, string cleverSchoolId) =>
        await env.Services.GetRequiredService<SchoolDatabases>().OpenAsync(await env.SchoolAsync(cleverSchoolId), CancellationToken.None);

    /// <summary>Every student enrollment row by key, with its timestamps (a rewritten row would change them).</summary>
    internal static async Task<Dictionary<string, (DateTime CreatedAt, DateTime UpdatedAt)>> EnrollmentsAsync(SyncTestEnvironment env, string cleverSchoolId)
    {
        await using var db = await OpenAsync(env, cleverSchoolId);
        return await db.SectionStudents.AsNoTracking().ToDictionaryAsync(e => e.EnrollmentKey, e => (e.CreatedAt, e.UpdatedAt));
    }

    private static string? Text(JsonObject o, string key) => o[key] is { } v && (string?)v is { Length: > 0 } s ? s : null;

    private static DateTime? Date(string value) => DateTime.TryParseExact(value, ["yyyy-MM-dd", "M/d/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
        ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : null;
}
