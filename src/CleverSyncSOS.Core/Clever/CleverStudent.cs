namespace CleverSyncSOS.Clever;

/// <summary>A student as read from Clever (seed entity 10), flattened from the user's student role.</summary>
public sealed record CleverStudent(
    string Id,
    CleverName Name,
    string? Email,
    string? Grade,
    string? StudentNumber,
    DateTime? LastModified)
{
    /// <summary>The values of a Students row, in the order of the roster table map.</summary>
    public object?[] ToRow() => [Id, Name.First, Name.Last, Email, Grade, StudentNumber, LastModified];
}

/// <summary>A teacher as read from Clever (seed entity 11), flattened from the user's teacher role.</summary>
public sealed record CleverTeacher(
    string Id,
    CleverName Name,
    string? Email,
    string? Title,
    DateTime? LastModified)
{
    /// <summary>The values of a Teachers row, in the order of the roster table map.</summary>
    public object?[] ToRow() => [Id, Name.First, Name.Last, Email, Title, LastModified];
}
