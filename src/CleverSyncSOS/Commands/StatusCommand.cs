using System.CommandLine;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>status</c>: per district, every onboarded school with what its database holds and its last sync.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "Show the onboarded districts and schools, what each school's database holds and its last sync");
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            await using var db = await services.GetRequiredService<SessionDatabase>().CreateDbContextAsync(ct);
            var districts = await db.Districts.AsNoTracking().OrderBy(d => d.Name).ToListAsync(ct);
            var schools = await db.Schools.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
            if (schools.Count == 0)
            {
                AnsiConsole.MarkupLine("No school is onboarded yet: see 'cleversync district add' and 'cleversync school add'.");
                return ExitCodes.Success;
            }

            var lastRuns = await LastRunsAsync(db, ct);
            var notes = new List<string>();
            foreach (var district in districts)
            {
                var table = new Table().Border(TableBorder.Rounded)
                    .Title($"[bold]{Markup.Escape(district.Name)}[/] ({Markup.Escape(district.CleverDistrictId)}){(district.IsActive ? "" : " – paused")}");
                table.AddColumn("School");
                table.AddColumn(new TableColumn("Students").RightAligned());
                table.AddColumn(new TableColumn("Teachers").RightAligned());
                table.AddColumn("Last sync (UTC)");
                table.AddColumn("Status");
                foreach (var school in schools.Where(s => s.DistrictId == district.CleverDistrictId))
                {
                    var runs = lastRuns.GetValueOrDefault(school.SchoolId) ?? [];
                    var (students, teachers) = await CountAsync(services, school, notes, ct);
                    var last = runs.MaxBy(r => r.SyncStartTime);
                    var status = runs.Count == 0 ? "never synced"
                        : runs.Any(r => r.Status == SyncStatus.Failed) ? "[red]Failed[/]"
                        : runs.Any(r => r.Status is SyncStatus.Partial or SyncStatus.InProgress) ? $"[yellow]{runs.First(r => r.Status != SyncStatus.Success).Status}[/]"
                        : "[green]Success[/]";
                    var flags = (school.IsActive ? "" : " (inactive)") + (school.RequiresFullSync ? " (full sync due)" : "");
                    table.AddRow(Markup.Escape(school.Name), students, teachers,
                        last is null ? "-" : $"{last.SyncStartTime:yyyy-MM-dd HH:mm} {last.SyncType}", status + flags);
                    notes.AddRange(runs.Where(r => r.ErrorMessage is not null).Select(r => $"{school.Name} ({r.EntityType}): {r.ErrorMessage}"));
                }

                AnsiConsole.Write(table);
            }

            foreach (var note in notes.Distinct())
            {
                AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(note)}[/]");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>The latest run of each entity type, per school.</summary>
    private static async Task<Dictionary<int, List<SyncHistory>>> LastRunsAsync(SessionDbContext db, CancellationToken cancellationToken)
    {
        var latestIds = await db.SyncHistory.AsNoTracking()
            .GroupBy(h => new { h.SchoolId, h.EntityType })
            .Select(g => g.Max(h => h.SyncId))
            .ToListAsync(cancellationToken);
        var rows = await db.SyncHistory.AsNoTracking().Where(h => latestIds.Contains(h.SyncId)).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.SchoolId).ToDictionary(g => g.Key, g => g.ToList());
    }

    private static async Task<(string Students, string Teachers)> CountAsync(IServiceProvider services, School school, List<string> notes, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await services.GetRequiredService<SchoolDatabases>().OpenAsync(school, cancellationToken);
            return ((await db.Students.CountAsync(cancellationToken)).ToString("N0"), (await db.Teachers.CountAsync(cancellationToken)).ToString("N0"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            notes.Add($"{school.Name}: its database cannot be opened: {ex.GetBaseException().Message}");
            return ("?", "?");
        }
    }
}
