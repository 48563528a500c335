namespace CleverSyncSOS.Clever;

/// <summary>A student as read from Clever (seed entity 10), flattened from the user's student role.</summary>
public sealed record CleverStudent(
    string Id,
    CleverName Name,
    string? Email,
    string? Grade,
    string? StudentNumber,
    DateTime? LastModified);

/// <summary>A teacher as read from Clever (seed entity 11), flattened from the user's teacher role.</summary>
public sealed record CleverTeacher(
    string Id,
    CleverName Name,
    string? Email,
    string? Title,
    DateTime? LastModified);
