using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Changes;
using Spectre.Console;

namespace CleverSyncSOS.Host.Output;

/// <summary>What a dry run found: per school and entity, what the sync would create, update and delete, with examples and the guard's verdict.</summary>
public static class DryRunReport
{
    public static void Render(IAnsiConsole console, IReadOnlyList<SchoolSyncResult> results)
    {
        SyncReport.Render(console, "Dry run: nothing was written", results);
        foreach (var school in results.Where(r => r.Error is null))
        {
            foreach (var entity in school.Entities.Where(e => e.Examples.Count > 0))
            {
                console.MarkupLine($"  [bold]{Markup.Escape(school.SchoolName)}[/] {entity.EntityType}: would create {entity.Created:N0}, update {entity.Updated:N0}, delete {entity.Deleted:N0}" +
                                   (entity.Warning is null ? "" : " [yellow](held by the mass-deletion guard)[/]"));
                foreach (var example in entity.Examples)
                {
                    console.MarkupLine($"    {example.Action} {Markup.Escape(example.CleverId)}{Markup.Escape(Describe(example))}");
                }
            }
        }
    }

    private static string Describe(RecordChange change) => change.Action == ChangeAction.Updated
        ? ": " + string.Join("; ", change.New!.Select(f => $"{f.Key} {change.Old![f.Key] ?? "(none)"} → {f.Value ?? "(none)"}"))
        : "";
}
