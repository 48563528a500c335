namespace CleverSyncSOS.Persistence;

/// <summary>
/// An exclusive operating-system lock on a sidecar file (flock on Linux, a share lock on Windows): held by one process
/// at a time and released by the kernel when that process ends, however it ends.
/// </summary>
internal sealed class MigrationFileLock : IAsyncDisposable
{
    /// <summary>Appended to the database file's path, the way SQLite names its own -wal and -journal files.</summary>
    public const string Suffix = "-migration-lock";

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    private readonly FileStream _stream;

    private MigrationFileLock(FileStream stream) => _stream = stream;

    /// <summary>
    /// The lock, once no other process holds it; null when the sidecar cannot be made at all (a read-only folder),
    /// in which case the caller migrates as EF Core alone would. Another holder for longer than <paramref name="wait"/>
    /// is an error that names the file.
    /// </summary>
    public static async Task<MigrationFileLock?> TryAcquireAsync(string path, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        while (true)
        {
            try
            {
                return new MigrationFileLock(new FileStream(path, options));
            }
            catch (IOException ex) when (IsHeldElsewhere(ex))
            {
                if (time.GetUtcNow() >= deadline)
                {
                    throw new IOException(
                        $"Another process has been migrating {path[..^Suffix.Length]} for more than {wait.TotalSeconds:0} s (it holds {path}); try again when it has finished.", ex);
                }

                await Task.Delay(RetryInterval, time, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    // EWOULDBLOCK from flock (11 on Linux, 35 on macOS); ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION on Windows.
    private static bool IsHeldElsewhere(IOException ex) =>
        OperatingSystem.IsWindows() ? (ex.HResult & 0xFFFF) is 32 or 33 : ex.HResult == (OperatingSystem.IsMacOS() ? 35 : 11);
}
