using Spectre.Console;

namespace CleverSyncSOS.Host.Output;

/// <summary>
/// Output written to a file or a pipe has no terminal width, and Spectre.Console then assumes 80 columns and wraps
/// table cells mid-word (a school id split over two lines reads badly in a log or a CI job). Such output is laid out
/// for <see cref="Width"/> columns instead; an explicit <c>COLUMNS</c> still decides.
/// </summary>
internal static class PipedOutput
{
    public const int Width = 200;

    public static void Widen(IAnsiConsole console)
    {
        if (Console.IsOutputRedirected)
        {
            // Spectre.Console does not read COLUMNS when the output is redirected: it is honoured here.
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns is > 0 and <= 10_000 ? columns : Width;
        }
    }
}
