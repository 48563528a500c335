using CleverSyncSOS.Sync;
using Spectre.Console;

namespace CleverSyncSOS.Host.Output;

/// <summary>What a school's sync progress shows: the outcome and the record counts stay, the stage passes.</summary>
public static class SyncProgressText
{
    public static ProgressNote Describe(SyncProgress value)
    {
        var school = Markup.Escape(value.SchoolName);
        return value.Stage switch
        {
            "Read" => new($"  {school}: read {value.RecordsRead:N0} {value.EntityType?.ToLowerInvariant()} records from Clever", null),
            "Reading" => new(null, $"{school}: reading {Markup.Escape(value.EntityType?.ToLowerInvariant() ?? "")} from Clever…"),
            "Applying events" => new(null, $"{school}: applying events…"),
            "Success" => new($"  [green]✓[/] {school}", null),
            "Partial" => new($"  [yellow]![/] {school} (partial)", null),
            "Failed" => new($"  [red]✗[/] {school} failed", null),
            _ => new($"  {school}: {Markup.Escape(value.Stage)}…", $"{school}: {Markup.Escape(value.Stage)}…"),
        };
    }
}
