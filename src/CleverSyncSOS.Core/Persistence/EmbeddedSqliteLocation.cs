using Microsoft.Data.Sqlite;

namespace CleverSyncSOS.Persistence;

/// <summary>
/// School SQLite databases in the data folder are stored as <c>Data Source=schools/{name}.db</c>, relative to the
/// folder, so a copied folder uses its own files. Connection strings stored by earlier versions hold absolute
/// paths; one of the embedded shape (<c>…/schools/{the school's DatabaseName}.db</c>) is read as the file of the
/// current folder, so an old copy no longer writes into its original.
/// </summary>
public sealed class EmbeddedSqliteLocation(DataDirectory dataDirectory)
{
    /// <summary>The connection string as stored for a new school database.</summary>
    public static string NewStored(string databaseName) =>
        new SqliteConnectionStringBuilder { DataSource = DataDirectory.RelativeSchoolDbFile(databaseName) }.ToString();

    /// <summary>The connection string to open: relative files resolved in the data folder, old absolute ones re-rooted.</summary>
    public string ToRuntime(string stored, string? databaseName)
    {
        var builder = new SqliteConnectionStringBuilder(stored);
        if (!IsFile(builder.DataSource))
        {
            return stored;
        }

        if (!Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = dataDirectory.Resolve(builder.DataSource);
        }
        else if (!dataDirectory.Contains(Path.GetFullPath(builder.DataSource)) && IsEmbeddedShape(builder.DataSource, databaseName))
        {
            builder.DataSource = dataDirectory.SchoolDbFile(databaseName!);
        }
        else
        {
            return stored;
        }

        return builder.ToString();
    }

    /// <summary>The connection string to store: a file inside the data folder relative to it.</summary>
    public string ToStored(string runtime)
    {
        var builder = new SqliteConnectionStringBuilder(runtime);
        if (IsFile(builder.DataSource) && Path.IsPathRooted(builder.DataSource) && dataDirectory.RelativeOrNull(Path.GetFullPath(builder.DataSource)) is { } relative)
        {
            builder.DataSource = relative;
            return builder.ToString();
        }

        return runtime;
    }

    /// <summary>The database file a runtime connection string opens, or null for in-memory or URI data sources.</summary>
    public static string? FileOf(string runtime)
    {
        var source = new SqliteConnectionStringBuilder(runtime).DataSource;
        return IsFile(source) && Path.IsPathRooted(source) ? source : null;
    }

    private static bool IsFile(string dataSource) =>
        dataSource.Length > 0 && dataSource != ":memory:" && !dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    private static bool IsEmbeddedShape(string path, string? databaseName) =>
        SchoolDatabaseNames.IsSafe(databaseName)
        && Path.GetFileName(path) == databaseName + ".db"
        && Path.GetFileName(Path.GetDirectoryName(path)) == DataDirectory.SchoolsFolderName;
}
