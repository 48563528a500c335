using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Persistence;

/// <summary>
/// Files that hold children's names or secrets are readable by their owner only: files 0600, folders 0700. Created
/// that way, and tightened (with a warning) when an earlier version or a copy left them open to others.
/// SQLite gives its -wal and -shm files the database file's mode, so setting it on the database covers them.
/// </summary>
public static partial class PrivateFiles
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                              | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the folder (and missing parents) 0700; an existing one is tightened.</summary>
    public static void Folder(string path, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, OwnerFolder);
            return;
        }

        Tighten(path, OwnerFolder, logger);
    }

    /// <summary>Creates an empty file 0600 when it is missing (so SQLite opens it instead of creating it 0644); an existing one is tightened.</summary>
    public static void File(string path, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!System.IO.File.Exists(path))
        {
            try
            {
                using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerFile });
                return;
            }
            catch (IOException) when (System.IO.File.Exists(path))
            {
                // Another process created it first: check its mode below.
            }
        }

        Tighten(path, OwnerFile, logger);
    }

    /// <summary>Whether group or others may read, write or enter it.</summary>
    public static bool IsOpenToOthers(string path) =>
        !OperatingSystem.IsWindows() && (System.IO.File.GetUnixFileMode(path) & GroupOrOther) != 0;

    /// <summary>Removes group and other permissions when there are any; says so in a warning.</summary>
    public static void Tighten(string path, UnixFileMode ownerMode, ILogger logger)
    {
        if (OperatingSystem.IsWindows() || !IsOpenToOthers(path))
        {
            return;
        }

        var before = System.IO.File.GetUnixFileMode(path);
        System.IO.File.SetUnixFileMode(path, before & ~GroupOrOther & (ownerMode | UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit));
        LogTightened(logger, path, Octal(before), Octal(System.IO.File.GetUnixFileMode(path)));
    }

    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning,
        Message = "{Path} was readable by other users (mode {Before}); it holds rosters or secrets, so it was set to {After}")]
    private static partial void LogTightened(ILogger logger, string path, string before, string after);
}
