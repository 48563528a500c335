using CleverSyncSOS.Clever;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;

namespace CleverSyncSOS.Sync.Entities;

/// <summary>Every entity the service syncs, each declared once. The order is the order of reads and deletions.</summary>
public static partial class SyncEntities
{
    public static readonly CleverSource<CleverUser> StudentUsers = Users("student", (u, school) => u.IsStudentAt(school), u => u.Roles?.Student is not null);

    public static readonly CleverSource<CleverUser> TeacherUsers = Users("teacher", (u, school) => u.IsTeacherAt(school), u => u.Roles?.Teacher is not null);

    public static readonly SyncEntity Student = new SyncEntity<CleverUser, CleverStudent>
    {
        EntityType = SyncEntityType.Student,
        Source = StudentUsers,
        Table = typeof(Student),
        Items = user => [user.ToStudent()],
        Key = new(nameof(Persistence.Schools.Student.CleverStudentId), s => s.Id),
        Columns =
        [
            new(nameof(Persistence.Schools.Student.FirstName), s => s.Name.First),
            new(nameof(Persistence.Schools.Student.LastName), s => s.Name.Last),
            new(nameof(Persistence.Schools.Student.Email), s => s.Email),
            new(nameof(Persistence.Schools.Student.Grade), s => s.Grade),
            new(nameof(Persistence.Schools.Student.StudentNumber), s => s.StudentNumber),
            new(nameof(Persistence.Schools.Student.LastModifiedInClever), s => s.LastModified),
        ],
    };

    public static readonly SyncEntity Teacher = new SyncEntity<CleverUser, CleverTeacher>
    {
        EntityType = SyncEntityType.Teacher,
        Source = TeacherUsers,
        Table = typeof(Teacher),
        Items = user => [user.ToTeacher()],
        Key = new(nameof(Persistence.Schools.Teacher.CleverTeacherId), t => t.Id),
        Columns =
        [
            new(nameof(Persistence.Schools.Teacher.FirstName), t => t.Name.First),
            new(nameof(Persistence.Schools.Teacher.LastName), t => t.Name.Last),
            new(nameof(Persistence.Schools.Teacher.Email), t => t.Email),
            new(nameof(Persistence.Schools.Teacher.Title), t => t.Title),
            new(nameof(Persistence.Schools.Teacher.LastModifiedInClever), t => t.LastModified),
        ],
    };

    /// <summary>Sections come after the courses and terms they name; their enrollments after them (their deletion rule looks at the sections').</summary>
    public static IReadOnlyList<SyncEntity> All { get; } = [Student, Teacher, Term, Course, Section, SectionStudent, SectionTeacher];

    /// <summary>The entities a school's sync covers with these options.</summary>
    public static IReadOnlyList<SyncEntity> For(SyncOptions options) => options.SyncSections ? All : [Student, Teacher];

    /// <summary>A school's users of one role. A record is checked for the district, the role and the school asked for.</summary>
    private static CleverSource<CleverUser> Users(string role, Func<CleverUser, string, bool> isAt, Func<CleverUser, bool> hasRole) => new()
    {
        Description = $"{role} users",
        RecordType = "users",
        Read = (clever, district, school, ct) => clever.GetSchoolUsersAsync(district, school, role, ct),
        Id = u => u.Id,
        LastModified = u => u.LastModified,
        Check = (u, scope) =>
            OtherDistrict(u.District, scope)
            ?? (!hasRole(u) ? $"has no {role} role"
            : !isAt(u, scope.CleverSchoolId) ? $"is not a {role} at school {scope.CleverSchoolId}"
            : null),
        JsonType = CleverJsonContext.Default.CleverUser,
        // Every role's schools, whichever role this source reads: one users event serves both sources.
        Schools = u => [u.Roles?.Student?.School, .. u.Roles?.Student?.Schools ?? [], u.Roles?.Teacher?.School, .. u.Roles?.Teacher?.Schools ?? []],
    };
}
