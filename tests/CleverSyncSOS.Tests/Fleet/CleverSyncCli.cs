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
        CliProcess.RunAsync(settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value), stdin, args);
}
