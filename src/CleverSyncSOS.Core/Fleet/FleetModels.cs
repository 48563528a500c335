using CleverSyncSOS.Persistence.Session;

namespace CleverSyncSOS.Fleet;

/// <summary>An onboarded district as the lifecycle commands show it.</summary>
public sealed record DistrictSummary(
    string CleverDistrictId,
    string Name,
    bool IsActive,
    string SecretPrefix,
    int Schools,
    int ActiveSchools,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>The latest run of one entity type at one school.</summary>
public sealed record EntityLastSync(string EntityType, SyncType SyncType, string Status, DateTime StartedAt, DateTime? EndedAt, string? Error);

/// <summary>An onboarded school with its flags and its latest run per entity type.</summary>
public sealed record SchoolSummary(
    string CleverSchoolId,
    string Name,
    string CleverDistrictId,
    bool IsActive,
    bool RequiresFullSync,
    string? DatabaseName,
    string? ConnectionStringSecretName,
    IReadOnlyList<EntityLastSync> LastSyncs,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public bool NeverSynced => LastSyncs.Count == 0;

    public bool LastSyncFailed => LastSyncs.Any(s => s.Status == SyncStatus.Failed);
}

/// <summary>The states <c>school list --state</c> filters on.</summary>
public enum SchoolState
{
    Active,
    Inactive,
    FullSyncDue,
    NeverSynced,
    Failed,
}

/// <summary>Which schools a bulk command acts on: one school, one district's schools, or every school.</summary>
public sealed record SchoolSelection(string? CleverSchoolId, string? CleverDistrictId)
{
    public static SchoolSelection All { get; } = new(null, null);

    public static SchoolSelection School(string cleverSchoolId) => new(cleverSchoolId, null);

    public static SchoolSelection District(string cleverDistrictId) => new(null, cleverDistrictId);

    public string Describe() => CleverSchoolId is not null ? $"school {CleverSchoolId}"
        : CleverDistrictId is not null ? $"the schools of district {CleverDistrictId}"
        : "every onboarded school";
}
