using System.ComponentModel.DataAnnotations;

namespace CleverSyncSOS.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}

/// <summary>
/// Where the databases live. Bound from <c>CleverSyncSOS:Databases</c>. SessionDb and the school databases may
/// use different providers. Connection strings with passwords belong in the secret store, not in this file.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "CleverSyncSOS:Databases";

    public DatabaseProvider SessionDbProvider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// SessionDb connection string. When empty: the secret <c>CleverSyncSOS--SessionDb--ConnectionString</c>,
    /// else (SQLite) <c>{DataDir}/session.db</c>.
    /// </summary>
    public string? SessionDbConnectionString { get; set; }

    public DatabaseProvider SchoolDbProvider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// For PostgreSQL/SQL Server school databases: a connection string to the server (its database part is
    /// replaced by each school's). When empty, the secret <c>CleverSyncSOS--SchoolDb--ServerConnectionString</c>.
    /// </summary>
    public string? SchoolDbServerConnectionString { get; set; }

    /// <summary>
    /// Start of each new school database's name (<c>{prefix}{clever school id}</c>), so several environments
    /// (staging, pilot) can share one server.
    /// </summary>
    [RegularExpression("^[a-z][a-z0-9_]{0,30}$", ErrorMessage = "SchoolDatabaseNamePrefix must be 1–31 lowercase letters, digits or underscores, starting with a letter.")]
    public string SchoolDatabaseNamePrefix { get; set; } = "school_";

    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// Whether opening a school database for a sync applies its missing migrations first (the CLI and demo).
    /// <c>serve</c> turns it off: a school whose database is behind is then not synced, with an error naming
    /// it, until <c>cleversync db migrate</c> brings the fleet to one schema version.
    /// </summary>
    public bool AutoMigrateSchoolDatabases { get; set; } = true;

    /// <summary>
    /// How often <c>serve</c> reads every database's schema version for its <c>school-schema</c> health entry (each
    /// scan opens every school database, so not too often).
    /// </summary>
    [Range(10, 86_400)]
    public int SchemaCheckIntervalSeconds { get; set; } = 300;

    /// <summary>The configuration key of <see cref="AutoMigrateSchoolDatabases"/>.</summary>
    public const string AutoMigrateSchoolDatabasesKey = SectionName + ":" + nameof(AutoMigrateSchoolDatabases);
}
