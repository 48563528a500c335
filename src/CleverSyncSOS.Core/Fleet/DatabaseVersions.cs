using CleverSyncSOS.Persistence;

namespace CleverSyncSOS.Fleet;

public enum DatabaseKind
{
    Session,
    School,
}

/// <summary>What became of one database in a fleet status or migration.</summary>
public enum DatabaseState
{
    /// <summary>Every migration is applied.</summary>
    Current,

    /// <summary>Migrations are missing (status, or a dry run).</summary>
    Behind,

    /// <summary>The missing migrations were applied by this run.</summary>
    Migrated,

    /// <summary>The database could not be reached, read or migrated; <see cref="DatabaseReport.Error"/> says why.</summary>
    Failed,
}

/// <summary>One database of the fleet: SessionDb or a school's own.</summary>
public sealed record FleetDatabase(DatabaseKind Kind, string Name, DatabaseProvider Provider, string? CleverSchoolId = null, string? SchoolName = null);

/// <summary>
/// One database's schema version before and after (the id of its last applied migration; null when it has none),
/// the latest version this build knows, and the migrations still missing.
/// </summary>
public sealed record DatabaseReport(
    FleetDatabase Database,
    DatabaseState State,
    string? VersionBefore,
    string? VersionAfter,
    string? LatestVersion,
    IReadOnlyList<string> Pending,
    string? Error)
{
    /// <summary>Behind or unknown: what <c>db status</c> lists.</summary>
    public bool NeedsAttention => State is DatabaseState.Behind or DatabaseState.Failed;
}
