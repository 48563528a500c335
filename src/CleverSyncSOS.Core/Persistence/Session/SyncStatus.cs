namespace CleverSyncSOS.Persistence.Session;

/// <summary>The seed stores the status as a string; these are its four values.</summary>
public static class SyncStatus
{
    public const string InProgress = "InProgress";
    public const string Success = "Success";
    public const string Partial = "Partial";
    public const string Failed = "Failed";
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
