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

    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 300;
}
