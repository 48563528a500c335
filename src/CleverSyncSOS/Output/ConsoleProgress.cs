using CleverSyncSOS.Sync;
using Spectre.Console;

namespace CleverSyncSOS.Host.Output;

/// <summary>
/// Prints sync progress as it happens. Synchronous on purpose: <see cref="Progress{T}"/> would post reports
/// to the thread pool and print them out of order.
/// </summary>
public sealed class ConsoleProgress(IAnsiConsole console) : IProgress<SyncProgress>
{
    private readonly Lock _gate = new();

    public void Report(SyncProgress value)
    {
        var line = value.Stage switch
        {
            "Read" => $"  {Markup.Escape(value.SchoolName)}: read {value.RecordsRead:N0} {value.EntityType?.ToLowerInvariant()} records from Clever",
            "Reading" or "Applying events" => null,
            "Success" => $"  [green]✓[/] {Markup.Escape(value.SchoolName)}",
            "Partial" => $"  [yellow]![/] {Markup.Escape(value.SchoolName)} (partial)",
            "Failed" => $"  [red]✗[/] {Markup.Escape(value.SchoolName)} failed",
            _ => $"  {Markup.Escape(value.SchoolName)}: {Markup.Escape(value.Stage)}…",
        };

        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            console.MarkupLine(line);
        }
    }
}
