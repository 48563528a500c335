namespace CleverSyncSOS.Persistence.Schools;

/// <summary>A student synced from Clever into a school's own database (seed entity 8).</summary>
public class Student
{
    public int StudentId { get; set; }
    public required string CleverStudentId { get; set; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public string? Email { get; set; }
    public string? Grade { get; set; }
    public string? StudentNumber { get; set; }
    public DateTime? LastModifiedInClever { get; set; }

    /// <summary>Cleared during a full sync for records Clever no longer has; those are then deleted.</summary>
    public bool IsActive { get; set; } = true;

    public DateTime? DeactivatedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
