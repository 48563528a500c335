using CleverSyncSOS.Clever;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CleverSyncSOS.Sync;

/// <summary>
/// One synced entity (students, teachers; sections later): which Clever role it is, which table it goes to,
/// and how a Clever user becomes a row. The sync engine is the same for all of them.
/// </summary>
public sealed class RosterEntity
{
    public required string EntityType { get; init; }

    /// <summary>The Clever role to list: <c>/schools/{id}/users?role=...</c>.</summary>
    public required string Role { get; init; }

    public required Func<IModel, RosterTableMap> Map { get; init; }

    public required Func<CleverUser, string, bool> BelongsTo { get; init; }

    /// <summary>The row's values: the Clever id, then the map's data columns in order.</summary>
    public required Func<CleverUser, object?[]> ToRow { get; init; }

    public static readonly RosterEntity Student = new()
    {
        EntityType = SyncEntityType.Student,
        Role = "student",
        Map = model => RosterTableMap.For<Student>(model, nameof(Persistence.Schools.Student.CleverStudentId),
            nameof(Persistence.Schools.Student.FirstName), nameof(Persistence.Schools.Student.LastName), nameof(Persistence.Schools.Student.Email),
            nameof(Persistence.Schools.Student.Grade), nameof(Persistence.Schools.Student.StudentNumber), nameof(Persistence.Schools.Student.LastModifiedInClever)),
        BelongsTo = (user, schoolId) => user.IsStudentAt(schoolId),
        ToRow = user => user.ToStudent().ToRow(),
    };

    public static readonly RosterEntity Teacher = new()
    {
        EntityType = SyncEntityType.Teacher,
        Role = "teacher",
        Map = model => RosterTableMap.For<Teacher>(model, nameof(Persistence.Schools.Teacher.CleverTeacherId),
            nameof(Persistence.Schools.Teacher.FirstName), nameof(Persistence.Schools.Teacher.LastName), nameof(Persistence.Schools.Teacher.Email),
            nameof(Persistence.Schools.Teacher.Title), nameof(Persistence.Schools.Teacher.LastModifiedInClever)),
        BelongsTo = (user, schoolId) => user.IsTeacherAt(schoolId),
        ToRow = user => user.ToTeacher().ToRow(),
    };

    public static IReadOnlyList<RosterEntity> All { get; } = [Student, Teacher];
}
