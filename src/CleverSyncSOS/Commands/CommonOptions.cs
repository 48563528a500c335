using System.CommandLine;
using CleverSyncSOS.Host.Hosting;

namespace CleverSyncSOS.Host.Commands;

/// <summary>Options every command takes.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Folder for the embedded SQLite databases and the local secret store (default: ./cleversync-data)",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log at Information level (to stderr)",
        Recursive = true,
    };

    public static CommonSettings Read(ParseResult result) => new(result.GetValue(DataDir), result.GetValue(Verbose));
}
