using CleverSyncSOS.Clever;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;

namespace CleverSyncSOS.Sync.Entities;

/// <summary>One enrollment of a section (a student in it, or a teacher of it), derived from <c>section.students[]</c>/<c>teachers[]</c>.</summary>
public sealed record Enrollment(string SectionId, string UserId, bool IsPrimary)
{
    /// <summary>
    /// The one unique key the bulk writer diffs on: a section and a user. The section id's length leads, so no two
    /// pairs meet however their ids use the separator (<c>a:b</c> + <c>c</c> against <c>a</c> + <c>b:c</c>).
    /// </summary>
    public string Key => $"{SectionId.Length}:{SectionId}:{UserId}";

    public static IEnumerable<Enrollment> StudentsOf(CleverSection section) =>
        section.Id is { Length: > 0 } id ? Ids(section.Students).Select(s => new Enrollment(id, s, false)) : [];

    /// <summary>Every teacher of the section, <c>section.teacher</c> (the primary) included even when <c>teachers[]</c> omits it.</summary>
    public static IEnumerable<Enrollment> TeachersOf(CleverSection section)
    {
        if (section.Id is not { Length: > 0 } id)
        {
            return [];
        }

        var primary = SyncEntities.Text(section.Teacher);
        return Ids(primary is null ? section.Teachers : [.. section.Teachers ?? [], primary]).Select(t => new Enrollment(id, t, t == primary));
    }

    private static IEnumerable<string> Ids(IEnumerable<string?>? ids) =>
        (ids ?? []).Select(SyncEntities.Text).OfType<string>().Distinct(StringComparer.Ordinal);
}

/// <summary>The declarations of sections, courses, terms and enrollments (see <see cref="SyncEntities"/>).</summary>
public static partial class SyncEntities
{
    public static readonly CleverSource<CleverTerm> Terms = new()
    {
        Description = "terms",
        RecordType = "terms",
        Read = (clever, district, school, ct) => clever.GetSchoolTermsAsync(district, school, ct),
        Id = t => t.Id,
        LastModified = _ => null,
        Check = (t, scope) => OtherDistrict(t.District, scope),
        JsonType = CleverClassJsonContext.Default.CleverTerm,
        SchoolNamed = false,
    };

    public static readonly CleverSource<CleverCourse> Courses = new()
    {
        Description = "courses",
        RecordType = "courses",
        Read = (clever, district, school, ct) => clever.GetSchoolCoursesAsync(district, school, ct),
        Id = c => c.Id,
        LastModified = _ => null,
        Check = (c, scope) => OtherDistrict(c.District, scope),
        JsonType = CleverClassJsonContext.Default.CleverCourse,
        SchoolNamed = false,
    };

    public static readonly CleverSource<CleverSection> Sections = new()
    {
        Description = "sections",
        RecordType = "sections",
        Read = (clever, district, school, ct) => clever.GetSchoolSectionsAsync(district, school, ct),
        Id = s => s.Id,
        LastModified = s => s.LastModified,
        Check = (s, scope) => OtherDistrict(s.District, scope)
            ?? (s.School == scope.CleverSchoolId ? null : $"is a section of school {s.School ?? "(none)"}, not {scope.CleverSchoolId}"),
        JsonType = CleverClassJsonContext.Default.CleverSection,
        Links = s => [(Courses.RecordType, Text(s.Course)), (Terms.RecordType, Text(s.TermId))],
        Schools = s => [s.School],
    };

    public static readonly SyncEntity Term = new SyncEntity<CleverTerm, CleverTerm>
    {
        EntityType = SyncEntityType.Term,
        Source = Terms,
        Table = typeof(Term),
        Items = t => [t],
        Key = new(nameof(Persistence.Schools.Term.CleverTermId), t => t.Id),
        Columns =
        [
            new(nameof(Persistence.Schools.Term.Name), t => Text(t.Name)),
            new(nameof(Persistence.Schools.Term.StartDate), t => CleverDates.Parse(t.StartDate)),
            new(nameof(Persistence.Schools.Term.EndDate), t => CleverDates.Parse(t.EndDate)),
        ],
    };

    public static readonly SyncEntity Course = new SyncEntity<CleverCourse, CleverCourse>
    {
        EntityType = SyncEntityType.Course,
        Source = Courses,
        Table = typeof(Course),
        Items = c => [c],
        Key = new(nameof(Persistence.Schools.Course.CleverCourseId), c => c.Id),
        Columns =
        [
            new(nameof(Persistence.Schools.Course.Name), c => Text(c.Name)),
            new(nameof(Persistence.Schools.Course.Number), c => Text(c.Number)),
        ],
    };

    public static readonly SyncEntity Section = new SyncEntity<CleverSection, CleverSection>
    {
        EntityType = SyncEntityType.Section,
        Source = Sections,
        Table = typeof(Section),
        Items = s => [s],
        Key = new(nameof(Persistence.Schools.Section.CleverSectionId), s => s.Id),
        Columns =
        [
            new(nameof(Persistence.Schools.Section.Name), s => Text(s.Name)),
            new(nameof(Persistence.Schools.Section.Period), s => Text(s.Period)),
            new(nameof(Persistence.Schools.Section.Subject), s => Text(s.Subject)),
            new(nameof(Persistence.Schools.Section.Grade), s => Text(s.Grade)),
            new(nameof(Persistence.Schools.Section.SectionNumber), s => Text(s.SectionNumber)),
            new(nameof(Persistence.Schools.Section.SisId), s => Text(s.SisId)),
            new(nameof(Persistence.Schools.Section.CleverCourseId), s => Text(s.Course)),
            new(nameof(Persistence.Schools.Section.CleverTermId), s => Text(s.TermId)),
            new(nameof(Persistence.Schools.Section.CleverPrimaryTeacherId), s => Text(s.Teacher)),
            new(nameof(Persistence.Schools.Section.LastModifiedInClever), s => s.LastModified),
        ],
    };

    public static readonly SyncEntity SectionStudent = new SyncEntity<CleverSection, Enrollment>
    {
        EntityType = SyncEntityType.SectionStudent,
        Plural = "student enrollments",
        Source = Sections,
        Parent = Section,
        Deletion = DeletionRule.PerGroup,
        Table = typeof(SectionStudent),
        Items = Enrollment.StudentsOf,
        Key = new(nameof(Persistence.Schools.SectionStudent.EnrollmentKey), e => e.Key),
        GroupProperty = nameof(Persistence.Schools.SectionStudent.CleverSectionId),
        Columns =
        [
            new(nameof(Persistence.Schools.SectionStudent.CleverSectionId), e => e.SectionId),
            new(nameof(Persistence.Schools.SectionStudent.CleverStudentId), e => e.UserId),
        ],
    };

    public static readonly SyncEntity SectionTeacher = new SyncEntity<CleverSection, Enrollment>
    {
        EntityType = SyncEntityType.SectionTeacher,
        Plural = "teacher assignments",
        Source = Sections,
        Parent = Section,
        Deletion = DeletionRule.PerGroup,
        Table = typeof(SectionTeacher),
        Items = Enrollment.TeachersOf,
        Key = new(nameof(Persistence.Schools.SectionTeacher.EnrollmentKey), e => e.Key),
        GroupProperty = nameof(Persistence.Schools.SectionTeacher.CleverSectionId),
        Columns =
        [
            new(nameof(Persistence.Schools.SectionTeacher.CleverSectionId), e => e.SectionId),
            new(nameof(Persistence.Schools.SectionTeacher.CleverTeacherId), e => e.UserId),
            new(nameof(Persistence.Schools.SectionTeacher.IsPrimary), e => e.IsPrimary),
        ],
    };

    /// <summary>Clever sends "" where a value is absent; the databases store null.</summary>
    internal static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? OtherDistrict(string? district, ReadScope scope) =>
        district is { Length: > 0 } d && d != scope.CleverDistrictId ? $"belongs to district {d}, not {scope.CleverDistrictId}" : null;
}
