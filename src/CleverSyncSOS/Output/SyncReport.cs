using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using Spectre.Console;

namespace CleverSyncSOS.Host.Output;

/// <summary>The per-school table printed after a sync: what changed, what failed, how long it took.</summary>
public static class SyncReport
{
    public static void Render(IAnsiConsole console, string title, IReadOnlyList<SchoolSyncResult> results)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(title)}[/]").Border(TableBorder.Rounded);
        table.AddColumn("School");
        table.AddColumn("Sync");
        table.AddColumn(new TableColumn("Students").RightAligned());
        table.AddColumn(new TableColumn("Teachers").RightAligned());
        table.AddColumn(new TableColumn("Sections").RightAligned());
        table.AddColumn(new TableColumn("Enrollments").RightAligned());
        table.AddColumn("Status");
        table.AddColumn(new TableColumn("Time").RightAligned());
        foreach (var school in results)
        {
            table.AddRow(
                Markup.Escape(school.SchoolName),
                school.Entities.Count > 0 ? school.SyncType.ToString() : "-",
                Counts(school, SyncEntityType.Student),
                Counts(school, SyncEntityType.Teacher),
                Counts(school, SyncEntityType.Section),
                Counts(school, SyncEntityType.SectionStudent, SyncEntityType.SectionTeacher),
                StatusMarkup(school.Status),
                $"{school.Duration.TotalSeconds:F1} s");
        }

        console.Write(table);
        console.MarkupLine("  [grey]+ created  ~ updated  - deleted  ! failed (records)[/]");
        foreach (var school in results)
        {
            foreach (var message in school.Entities.Select(e => e.Error ?? e.Warning ?? e.SkippedBecause).Append(school.Entities.Count == 0 ? school.Error : null).Distinct())
            {
                if (message is not null)
                {
                    console.MarkupLine($"  [yellow]{Markup.Escape(school.SchoolName)}[/]: {Markup.Escape(message)}");
                }
            }
        }
    }

    /// <summary>Created, updated, deleted and failed records of one or more entity types (enrollments of students and teachers together).</summary>
    private static string Counts(SchoolSyncResult school, params string[] entityTypes)
    {
        var entities = school.Entities.Where(e => entityTypes.Contains(e.EntityType)).ToList();
        if (entities.Count == 0)
        {
            return "-";
        }

        var failed = entities.Sum(e => e.Failed);
        return $"+{entities.Sum(e => e.Created):N0} ~{entities.Sum(e => e.Updated):N0} -{entities.Sum(e => e.Deleted):N0}" + (failed > 0 ? $" [red]!{failed:N0}[/]" : "");
    }

    public static int ExitCode(IReadOnlyList<SchoolSyncResult> results) =>
        results.Any(r => r.Status == SyncStatus.Failed) ? Hosting.ExitCodes.Error
        : results.Any(r => r.Status == SyncStatus.Partial) ? Hosting.ExitCodes.Partial
        : Hosting.ExitCodes.Success;

    private static string StatusMarkup(string status) => status switch
    {
        SyncStatus.Success => "[green]Success[/]",
        SyncStatus.Partial => "[yellow]Partial[/]",
        _ => $"[red]{Markup.Escape(status)}[/]",
    };
}
