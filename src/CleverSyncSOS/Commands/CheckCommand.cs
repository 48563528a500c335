using System.CommandLine;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Output;
using CleverSyncSOS.Onboarding;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>check</c>: the onboarding checklist against the real systems; exit code 1 when any item fails.</summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var district = new Option<string?>("--district") { Description = "Only this Clever district id" };
        var json = JsonOption.Create();
        var command = new Command("check", "Run the onboarding checklist: credentials stored, token acquired, schools known to Clever, school databases reachable. " +
                                           "Exit code 0 all green, 1 any item failed") { district, json };
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var items = await services.GetRequiredService<OnboardingChecklist>().RunAsync(result.GetValue(district), ct);
            if (result.GetValue(json))
            {
                await CliJson.WriteAsync(result, CheckJson.From(items), CliJsonContext.Default.CheckJson);
            }
            else
            {
                RenderTable(items);
            }

            return items.All(i => i.Passed) ? ExitCodes.Success : ExitCodes.Error;
        }, cancellationToken));
        return command;
    }

    public static void RenderTable(IReadOnlyList<ChecklistItem> items)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Onboarding checklist[/]");
        table.AddColumn("");
        table.AddColumn("Check");
        table.AddColumn("District / school");
        table.AddColumn("Detail");
        foreach (var item in items)
        {
            table.AddRow(item.Passed ? "[green]✓[/]" : "[red]✗[/]", Markup.Escape(item.Check), Markup.Escape(item.Subject), Markup.Escape(item.Detail));
        }

        AnsiConsole.Write(table);
    }
}
