namespace CleverSyncSOS.Persistence.Session;

/// <summary>The seed stores the status as a string; these are its four values, and Skipped.</summary>
public static class SyncStatus
{
    public const string InProgress = "InProgress";
    public const string Success = "Success";
    public const string Partial = "Partial";
    public const string Failed = "Failed";

    /// <summary>
    /// The entity was not read in this run, for the reason in ErrorMessage (classes without the read:sections scope).
    /// Not a completed sync: the next plan ignores it, so the entity resumes from its own last cursor.
    /// </summary>
    public const string Skipped = "Skipped";
}

/// <summary>Values of <see cref="SyncHistory.EntityType"/>.</summary>
public static class SyncEntityType
{
    public const string Student = "Student";
    public const string Teacher = "Teacher";
    public const string Section = "Section";
    public const string Course = "Course";
    public const string Term = "Term";
    public const string SectionStudent = "SectionStudent";
    public const string SectionTeacher = "SectionTeacher";
}
