using CleverSyncSOS.Persistence.Session;

namespace CleverSyncSOS.Persistence;

/// <summary>
/// A school's database lacks migrations and automatic migration is off (<c>serve</c>): the school is not synced
/// until an operator runs <c>cleversync db migrate</c>. The message names the school and what is missing.
/// </summary>
public sealed class SchoolDatabaseBehindException(School school, IReadOnlyList<string> pendingMigrations)
    : InvalidOperationException(
        $"The database of school {school.CleverSchoolId} ({school.Name}) is {pendingMigrations.Count} migration(s) behind " +
        $"({string.Join(", ", pendingMigrations)}); it is not synced until 'cleversync db migrate' brings it up to date.")
{
    public string CleverSchoolId { get; } = school.CleverSchoolId;

    public IReadOnlyList<string> PendingMigrations { get; } = pendingMigrations;
}
