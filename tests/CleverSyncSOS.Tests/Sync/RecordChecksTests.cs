using CleverSyncSOS.Clever;
using CleverSyncSOS.Sync.Entities;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>The checks every record read goes through, and the lenient reading of Clever's date strings.</summary>
public sealed class RecordChecksTests
{
    private static readonly ReadScope Scope = new("district-1", "school-1");

    [Fact]
    public void A_user_is_checked_for_district_role_and_school()
    {
        var student = new CleverUser { Id = "u1", District = "district-1", Roles = new CleverRoles { Student = new CleverStudentRole { School = "school-1" } } };
        var teacher = new CleverUser { Id = "u2", District = "district-1", Roles = new CleverRoles { Teacher = new CleverTeacherRole { Schools = ["school-1"] } } };
        var elsewhere = new CleverUser { Id = "u3", District = "district-1", Roles = new CleverRoles { Student = new CleverStudentRole { School = "school-2" } } };
        var otherDistrict = new CleverUser { Id = "u4", District = "district-2", Roles = student.Roles };

        Assert.Null(SyncEntities.StudentUsers.Check(student, Scope));
        Assert.Equal("has no student role", SyncEntities.StudentUsers.Check(teacher, Scope));
        Assert.Null(SyncEntities.TeacherUsers.Check(teacher, Scope));
        Assert.Equal("is not a student at school school-1", SyncEntities.StudentUsers.Check(elsewhere, Scope));
        Assert.Equal("belongs to district district-2, not district-1", SyncEntities.StudentUsers.Check(otherDistrict, Scope));
    }

    [Fact]
    public void A_section_of_another_school_is_refused_and_its_enrollments_include_the_primary_teacher_once()
    {
        var section = new CleverSection { Id = "sec-1", District = "district-1", School = "school-1", Teacher = "t1", Teachers = ["t2", "t1", "", null], Students = ["s1", "s1", " s2 "] };

        Assert.Null(SyncEntities.Sections.Check(section, Scope));
        Assert.Equal("is a section of school school-2, not school-1", SyncEntities.Sections.Check(new CleverSection { School = "school-2" }, Scope));
        Assert.Equal(["5:sec-1:s1", "5:sec-1:s2"], SyncEntities.SectionStudent.RowsOf(section).Select(r => (string)r[0]!));
        Assert.Equal([("t2", false), ("t1", true)], SyncEntities.SectionTeacher.RowsOf(section).Select(r => ((string)r[2]!, (bool)r[3]!)));
    }

    [Theory]
    [InlineData("2026-08-20", 2026, 8, 20)]
    [InlineData("1/5/2027", 2027, 1, 5)]
    [InlineData("2027-06-10T00:00:00.000Z", 2027, 6, 10)]
    public void Term_dates_are_read_leniently(string text, int year, int month, int day)
    {
        Assert.Equal(new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc), CleverDates.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("next spring")]
    public void An_unreadable_term_date_is_no_date(string? text)
    {
        Assert.Null(CleverDates.Parse(text));
    }
}
