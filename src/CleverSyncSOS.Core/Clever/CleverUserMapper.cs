namespace CleverSyncSOS.Clever;

/// <summary>Turns a multi-role Clever user into the seed's student and teacher shapes for one school.</summary>
public static class CleverUserMapper
{
    public static bool IsStudentAt(this CleverUser user, string schoolId) =>
        user.Roles?.Student is { } role && BelongsTo(role.School, role.Schools, schoolId);

    public static bool IsTeacherAt(this CleverUser user, string schoolId) =>
        user.Roles?.Teacher is { } role && BelongsTo(role.School, role.Schools, schoolId);

    public static CleverStudent ToStudent(this CleverUser user)
    {
        var role = user.Roles?.Student;
        return new CleverStudent(
            user.Id ?? string.Empty,
            user.Name ?? new CleverName(),
            NullIfEmpty(user.Email) ?? NullIfEmpty(role?.Email),
            NullIfEmpty(role?.Grade),
            NullIfEmpty(role?.StudentNumber),
            user.LastModified);
    }

    public static CleverTeacher ToTeacher(this CleverUser user) => new(
        user.Id ?? string.Empty,
        user.Name ?? new CleverName(),
        NullIfEmpty(user.Email),
        NullIfEmpty(user.Roles?.Teacher?.Title),
        user.LastModified);

    private static bool BelongsTo(string? primary, List<string>? schools, string schoolId) =>
        primary == schoolId || (schools?.Contains(schoolId) ?? false);

    // Clever sends "" where a value is absent; the databases store null.
    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
