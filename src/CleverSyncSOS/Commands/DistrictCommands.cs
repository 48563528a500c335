using System.CommandLine;
using CleverSyncSOS.Fleet;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Output;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>district list|deactivate|activate</c>. Deactivating pauses a district's syncs; nothing is deleted.</summary>
public static class DistrictCommands
{
    public static void AddTo(Command district)
    {
        district.Subcommands.Add(List());
        district.Subcommands.Add(ActivationCommand.Create("district", "paused", active: false,
            "Pause a district: its schools are not synced until it is activated again. Its schools, databases, secrets and history stay",
            (fleet, id, active, ct) => fleet.SetDistrictActiveAsync(id, active, ct)));
        district.Subcommands.Add(ActivationCommand.Create("district", "paused", active: true, "Resume a paused district's syncs",
            (fleet, id, active, ct) => fleet.SetDistrictActiveAsync(id, active, ct)));
    }

    private static Command List()
    {
        var json = JsonOption.Create();
        var command = new Command("list", "List the onboarded districts with their school counts. Exit code 0") { json };
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var districts = await services.GetRequiredService<FleetDirectory>().ListDistrictsAsync(ct);
            if (result.GetValue(json))
            {
                await CliJson.WriteAsync(result, new DistrictListJson(CliJson.SchemaVersion, districts.Select(DistrictJson.From).ToList()), CliJsonContext.Default.DistrictListJson);
                return ExitCodes.Success;
            }

            if (districts.Count == 0)
            {
                AnsiConsole.MarkupLine("No district is onboarded yet: see 'cleversync district add'.");
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("District id");
            table.AddColumn("Name");
            table.AddColumn("State");
            table.AddColumn(new TableColumn("Schools (active)").RightAligned());
            table.AddColumn("Secret prefix");
            foreach (var d in districts)
            {
                table.AddRow(Markup.Escape(d.CleverDistrictId), Markup.Escape(d.Name), d.IsActive ? "[green]active[/]" : "[yellow]paused[/]",
                    $"{d.Schools} ({d.ActiveSchools})", Markup.Escape(d.SecretPrefix));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
