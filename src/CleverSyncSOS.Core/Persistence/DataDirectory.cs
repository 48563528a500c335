using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Persistence;

/// <summary>
/// The folder of the embedded defaults: SQLite files and the local secret store. Bound from <c>CleverSyncSOS:DataDir</c>.
/// Locations inside it are stored relative to it, so a copied or moved folder works on its own files.
/// </summary>
public sealed partial class DataDirectory(string path)
{
    // What the service keeps in the folder: when nothing else is there, the folder is ours to make owner-only.
    private static readonly HashSet<string> OwnEntries = new(StringComparer.Ordinal)
    {
        "session.db", "session.db-wal", "session.db-shm", "session.db-journal", "session.db" + MigrationFileLock.Suffix, "secrets.json", "secrets.json.tmp", SchoolsFolderName,
    };

    private readonly Lock _gate = new();
    private bool _prepared;

    public const string ConfigurationKey = "CleverSyncSOS:DataDir";
    public const string Default = "cleversync-data";
    public const string SchoolsFolderName = "schools";

    public string Path { get; } = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));

    public string SessionDbFile => System.IO.Path.Combine(Path, "session.db");

    public string SecretsFile => System.IO.Path.Combine(Path, "secrets.json");

    public string SchoolsFolder => System.IO.Path.Combine(Path, SchoolsFolderName);

    /// <summary>Where a school's SQLite database lives, relative to the folder: <c>schools/{databaseName}.db</c>.</summary>
    public static string RelativeSchoolDbFile(string databaseName) =>
        $"{SchoolsFolderName}/{SchoolDatabaseNames.RequireSafe(databaseName)}.db";

    public string SchoolDbFile(string databaseName) => Resolve(RelativeSchoolDbFile(databaseName));

    /// <summary>A path relative to the folder made absolute; one that would leave the folder is refused.</summary>
    public string Resolve(string relativePath)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath));
        return Contains(full)
            ? full
            : throw new InvalidOperationException($"'{relativePath}' points outside the data folder {Path}; it is not used.");
    }

    /// <summary>Whether an absolute path lies inside the folder.</summary>
    public bool Contains(string fullPath) =>
        fullPath.StartsWith(System.IO.Path.EndsInDirectorySeparator(Path) ? Path : Path + System.IO.Path.DirectorySeparatorChar,
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>
    /// Creates the folder (0700) or checks the existing one, once per process: a file in its place, or a folder that
    /// cannot be written, stops the command with a message naming <c>CleverSyncSOS:DataDir</c>. A folder holding only
    /// the service's own files is made owner-only; any other folder that others can read gets a warning.
    /// </summary>
    public void Prepare(ILogger logger)
    {
        lock (_gate)
        {
            if (_prepared)
            {
                return;
            }

            if (File.Exists(Path))
            {
                throw new ConfigurationException($"{ConfigurationKey} '{Path}' is a file, not a folder.");
            }

            try
            {
                if (Directory.Exists(Path) && !IsOwnedByTheService())
                {
                    if (PrivateFiles.IsOpenToOthers(Path))
                    {
                        LogSharedFolder(logger, Path);
                    }
                }
                else
                {
                    PrivateFiles.Folder(Path, logger);
                }

                var probe = System.IO.Path.Combine(Path, $".write-test-{Environment.ProcessId}");
                File.WriteAllBytes(probe, []);
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"{ConfigurationKey} '{Path}' cannot be created or written: {ex.Message}", ex);
            }

            _prepared = true;
        }
    }

    private bool IsOwnedByTheService() =>
        Directory.EnumerateFileSystemEntries(Path).Select(entry => System.IO.Path.GetFileName(entry))
            .All(name => OwnEntries.Contains(name) || name.StartsWith(".write-test-", StringComparison.Ordinal));

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning,
        Message = "The data folder {Path} can be read by other users and holds other files too, so its mode was left as it is; rosters and secrets inside it are owner-only")]
    private static partial void LogSharedFolder(ILogger logger, string path);

    /// <summary>The path relative to the folder (with '/'), or null when it lies outside.</summary>
    public string? RelativeOrNull(string fullPath) =>
        Contains(fullPath) ? System.IO.Path.GetRelativePath(Path, fullPath).Replace(System.IO.Path.DirectorySeparatorChar, '/') : null;
}
