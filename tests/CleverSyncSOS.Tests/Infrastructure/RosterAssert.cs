using CleverSyncSOS.Persistence.Schools;

namespace CleverSyncSOS.Tests.Infrastructure;

/// <summary>Field-by-field comparison of a school database with what Clever serves.</summary>
public static class RosterAssert
{
    public static void StudentsEqual(IReadOnlyList<CleverHttpReader.Person> expected, IReadOnlyList<Student> actual, string school)
    {
        Assert.True(expected.Count > 0, $"{school}: the simulator serves no students");
        Assert.Equal(expected.Select(p => p.Id).Order(StringComparer.Ordinal), actual.Select(s => s.CleverStudentId).Order(StringComparer.Ordinal));
        var byId = actual.ToDictionary(s => s.CleverStudentId);
        foreach (var person in expected)
        {
            var student = byId[person.Id];
            Assert.Equal((person.Id, person.First, person.Last, person.Email, person.Grade, person.StudentNumber, Ms(person.LastModified)),
                (student.CleverStudentId, student.FirstName, student.LastName, student.Email, student.Grade, student.StudentNumber, Ms(student.LastModifiedInClever)));
            Assert.True(student.IsActive);
            Assert.Null(student.DeactivatedAt);
        }
    }

    public static void TeachersEqual(IReadOnlyList<CleverHttpReader.Person> expected, IReadOnlyList<Teacher> actual, string school)
    {
        Assert.True(expected.Count > 0, $"{school}: the simulator serves no teachers");
        Assert.Equal(expected.Select(p => p.Id).Order(StringComparer.Ordinal), actual.Select(s => s.CleverTeacherId).Order(StringComparer.Ordinal));
        var byId = actual.ToDictionary(s => s.CleverTeacherId);
        foreach (var person in expected)
        {
            var teacher = byId[person.Id];
            Assert.Equal((person.Id, person.First, person.Last, person.Email, person.Title, Ms(person.LastModified)),
                (teacher.CleverTeacherId, teacher.FirstName, teacher.LastName, (string?)teacher.Email, teacher.Title, Ms(teacher.LastModifiedInClever)));
        }
    }

    private static DateTime? Ms(DateTime? value) =>
        value is { } v ? new DateTime(v.Ticks - v.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc) : null;
}
