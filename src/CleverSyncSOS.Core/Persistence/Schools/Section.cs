namespace CleverSyncSOS.Persistence.Schools;

/// <summary>A class section synced from Clever: who teaches it is in <see cref="SectionTeacher"/>, who sits in it in <see cref="SectionStudent"/>.</summary>
public class Section
{
    public int SectionId { get; set; }
    public required string CleverSectionId { get; set; }
    public required string Name { get; set; }
    public string? Period { get; set; }
    public string? Subject { get; set; }
    public string? Grade { get; set; }
    public string? SectionNumber { get; set; }
    public string? SisId { get; set; }
    public string? CleverCourseId { get; set; }
    public string? CleverTermId { get; set; }

    /// <summary>Clever's <c>section.teacher</c>: the primary teacher (also marked in SectionTeachers).</summary>
    public string? CleverPrimaryTeacherId { get; set; }

    public DateTime? LastModifiedInClever { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime? DeactivatedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A course (Clever has no last_modified for it).</summary>
public class Course
{
    public int CourseId { get; set; }
    public required string CleverCourseId { get; set; }
    public string? Name { get; set; }
    public string? Number { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime? DeactivatedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A term; Clever sends its dates as strings, read leniently (null when unreadable).</summary>
public class Term
{
    public int TermId { get; set; }
    public required string CleverTermId { get; set; }
    public string? Name { get; set; }
    public DateTime? StartDate { get; set; }
    public DateTime? EndDate { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime? DeactivatedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A student's enrollment in a section (Clever's <c>section.students[]</c>). <see cref="EnrollmentKey"/> is
/// "{section}:{student}": one unique key lets the bulk writer diff enrollments like any other table.
/// </summary>
public class SectionStudent
{
    public int SectionStudentId { get; set; }
    public required string EnrollmentKey { get; set; }
    public required string CleverSectionId { get; set; }
    public required string CleverStudentId { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime? DeactivatedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A teacher of a section (Clever's <c>section.teachers[]</c>), the primary one marked.</summary>
public class SectionTeacher
{
    public int SectionTeacherId { get; set; }
    public required string EnrollmentKey { get; set; }
    public required string CleverSectionId { get; set; }
    public required string CleverTeacherId { get; set; }
    public bool IsPrimary { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime? DeactivatedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
