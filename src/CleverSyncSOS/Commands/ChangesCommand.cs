using System.CommandLine;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Sync.Changes;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>changes</c>: what syncs did to a school's records, from the change log in the school's own database.</summary>
public static class ChangesCommand
{
    public static Command Create()
    {
        var school = new Option<string>("--school") { Description = "The school (SchoolId or Clever school id)", Required = true };
        var run = new Option<int?>("--run") { Description = "Only this run (any of its SyncHistory ids)" };
        var cleverId = new Option<string?>("--clever-id") { Description = "Only this record (a student's id also finds their enrollments)" };
        var limit = new Option<int>("--limit") { Description = "At most this many changes, the latest", DefaultValueFactory = _ => 200 };
        var command = new Command("changes", "Show what syncs created, changed (old → new) and deleted in a school's database") { school, run, cleverId, limit };
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var query = new ChangeQuery(result.GetValue(school)!, result.GetValue(run), result.GetValue(cleverId), result.GetValue(limit));
            var (found, entries) = await services.GetRequiredService<ChangeLogReader>().ReadAsync(query, ct);
            if (entries.Count == 0)
            {
                AnsiConsole.MarkupLine($"No changes recorded for {Markup.Escape(found.Name)} with these filters.");
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Changes at {Markup.Escape(found.Name)}[/]");
            table.AddColumn("Run");
            table.AddColumn("When (UTC)");
            table.AddColumn("Entity");
            table.AddColumn("Clever id");
            table.AddColumn("Change");
            table.AddColumn("Fields");
            foreach (var entry in entries)
            {
                var change = ChangeView.From(entry);
                table.AddRow(change.Run.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{change.Time:yyyy-MM-dd HH:mm:ss}",
                    change.EntityType, Markup.Escape(change.CleverId), change.Action, Markup.Escape(change.Describe()));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
