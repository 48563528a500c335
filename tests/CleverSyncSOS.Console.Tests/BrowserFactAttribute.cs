namespace CleverSyncSOS.Console.Tests;

/// <summary>
/// A browser test: skipped (and saying why) when no chromium is installed on a developer's machine, but never under CI=true,
/// where a missing browser fails the test: a skipped browser test proves nothing.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(ConsoleBrowser.ChromiumPath) && !global::CleverSyncSOS.Tests.Infrastructure.TestDatabases.IsCi)
        {
            Skip = $"No chromium at {ConsoleBrowser.ChromiumPath}: apt-get install -y chromium (.ci/run does).";
        }
    }
}
