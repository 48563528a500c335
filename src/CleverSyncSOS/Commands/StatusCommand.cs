using System.CommandLine;
using CleverSyncSOS.Fleet;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Output;
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
        var json = JsonOption.Create();
        var command = new Command("status", "Show the onboarded districts and schools, what each school's database holds and its last sync. Exit code 0") { json };
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var directory = services.GetRequiredService<FleetDirectory>();
            var districts = await directory.ListDistrictsAsync(ct);
            var schools = await directory.ListSchoolsAsync(null, null, ct);
            var rows = new List<StatusSchoolJson>();
            foreach (var school in schools)
            {
                rows.Add(await DescribeAsync(services, school, ct));
            }

            var status = new StatusJson(CliJson.SchemaVersion, districts
                .Select(d => new StatusDistrictJson(d.CleverDistrictId, d.Name, d.IsActive,
                    rows.Where((_, i) => schools[i].CleverDistrictId == d.CleverDistrictId).ToList()))
                .ToList());
            if (result.GetValue(json))
            {
                await CliJson.WriteAsync(result, status, CliJsonContext.Default.StatusJson);
            }
            else
            {
                Render(status);
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static void Render(StatusJson status)
    {
        if (status.Districts.All(d => d.Schools.Count == 0))
        {
            AnsiConsole.MarkupLine("No school is onboarded yet: see 'cleversync district add' and 'cleversync school add'.");
            return;
        }

        var notes = new List<string>();
        foreach (var district in status.Districts)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title($"[bold]{Markup.Escape(district.Name)}[/] ({Markup.Escape(district.Id)}){(district.Active ? "" : " – paused")}");
            table.AddColumn("School");
            table.AddColumn(new TableColumn("Students").RightAligned());
            table.AddColumn(new TableColumn("Teachers").RightAligned());
            table.AddColumn("Last sync (UTC)");
            table.AddColumn("Status");
            foreach (var school in district.Schools)
            {
                var runs = school.LastSyncs;
                var last = runs.MaxBy(r => r.StartedAt);
                var state = runs.Count == 0 ? "never synced"
                    : runs.Any(r => r.Status == SyncStatus.Failed) ? "[red]Failed[/]"
                    : runs.FirstOrDefault(r => r.Status != SyncStatus.Success) is { } other ? $"[yellow]{Markup.Escape(other.Status)}[/]"
                    : "[green]Success[/]";
                var flags = (school.Active ? "" : " (inactive)") + (school.RequiresFullSync ? " (full sync due)" : "");
                table.AddRow(Markup.Escape(school.Name), school.Students?.ToString("N0") ?? "?", school.Teachers?.ToString("N0") ?? "?",
                    last is null ? "-" : $"{last.StartedAt:yyyy-MM-dd HH:mm} {last.SyncType}", state + flags);
                if (school.DatabaseError is not null)
                {
                    notes.Add($"{school.Name}: its database cannot be read: {school.DatabaseError}");
                }

                notes.AddRange(runs.Where(r => r.Error is not null).Select(r => $"{school.Name} ({r.EntityType}): {r.Error}"));
            }

            AnsiConsole.Write(table);
        }

        foreach (var note in notes.Distinct())
        {
            AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(note)}[/]");
        }
    }

    /// <summary>The school with what its database holds, read as it is (status never migrates or creates anything).</summary>
    private static async Task<StatusSchoolJson> DescribeAsync(IServiceProvider services, SchoolSummary school, CancellationToken cancellationToken)
    {
        int? students = null, teachers = null;
        string? error = null;
        try
        {
            var row = new School
            {
                CleverSchoolId = school.CleverSchoolId, DistrictId = school.CleverDistrictId, Name = school.Name,
                DatabaseName = school.DatabaseName, KeyVaultConnectionStringSecretName = school.ConnectionStringSecretName,
            };
            await using var db = await services.GetRequiredService<SchoolDatabases>().ConnectAsync(row, cancellationToken);
            students = await db.Students.CountAsync(cancellationToken);
            teachers = await db.Teachers.CountAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex.GetBaseException().Message;
        }

        return new StatusSchoolJson(school.CleverSchoolId, school.Name, school.IsActive, school.RequiresFullSync, school.DatabaseName, students, teachers, error,
            school.LastSyncs.Select(LastSyncJson.From).ToList());
    }
}
