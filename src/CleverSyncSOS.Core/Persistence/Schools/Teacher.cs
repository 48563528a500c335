namespace CleverSyncSOS.Persistence.Schools;

/// <summary>A teacher synced from Clever into a school's own database (seed entity 9).</summary>
public class Teacher
{
    public int TeacherId { get; set; }
    public required string CleverTeacherId { get; set; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    /// <summary>Clever does not guarantee an email for any user, teachers included (decision 0005).</summary>
    public string? Email { get; set; }
    public string? Title { get; set; }
    public DateTime? LastModifiedInClever { get; set; }

    /// <summary>Cleared during a full sync for records Clever no longer has; those are then deleted.</summary>
    public bool IsActive { get; set; } = true;

    public DateTime? DeactivatedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
