using CleverSyncSOS.Tests.Cli;

namespace CleverSyncSOS.Tests.Fleet;

/// <summary>
/// Runs the built <c>cleversync</c> with a test environment's settings (configuration keys as in appsettings,
/// <c>CleverSyncSOS:Sync:…</c>), passed to the process as the <c>CleverSyncSOS__…</c> environment variables an
/// operator's script would set.
/// </summary>
public static class CleverSyncCli
{
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> settings, string? stdin, params string[] args) =>
        CliProcess.RunAsync(Environment(settings), stdin, args);

    /// <summary>The settings as the process's environment variables.</summary>
    public static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?> settings) =>
        settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
}
