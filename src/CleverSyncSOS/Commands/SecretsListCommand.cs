using System.CommandLine;
using CleverSyncSOS.Fleet;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Output;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>secrets list</c>: the names the fleet uses, what each is for, where it lives and whether it is there. Never a value.</summary>
public static class SecretsListCommand
{
    public static void AddTo(Command secrets)
    {
        var json = JsonOption.Create();
        var list = new Command("list",
            "List the secrets the configuration and the onboarded districts and schools name, where they live and whether they are stored; " +
            "values are never shown. Exit code 0, or 1 when one is missing")
        {
            json,
        };
        list.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var inventory = services.GetRequiredService<SecretInventory>();
            var entries = await inventory.ListAsync(ct);
            // The two server secrets are optional (configuration may hold those connection strings); the others are required.
            var missing = entries.Any(e => !e.Present && !IsOptional(e.Name));
            if (result.GetValue(json))
            {
                await CliJson.WriteAsync(result, new SecretListJson(CliJson.SchemaVersion, inventory.StoreDescription,
                    entries.Select(e => new SecretJson(e.Name, e.Purpose, e.Present)).ToList()), CliJsonContext.Default.SecretListJson);
                return missing ? ExitCodes.Error : ExitCodes.Success;
            }

            AnsiConsole.MarkupLine($"Secret store: [bold]{Markup.Escape(inventory.StoreDescription)}[/]");
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("");
            table.AddColumn("Name");
            table.AddColumn("For");
            foreach (var entry in entries)
            {
                table.AddRow(entry.Present ? "[green]stored[/]" : IsOptional(entry.Name) ? "[grey]not set[/]" : "[red]missing[/]",
                    Markup.Escape(entry.Name), Markup.Escape(entry.Purpose));
            }

            AnsiConsole.Write(table);
            return missing ? ExitCodes.Error : ExitCodes.Success;
        }, cancellationToken));
        secrets.Subcommands.Add(list);
    }

    private static bool IsOptional(string name) =>
        name is Credentials.SecretNames.SessionDbConnectionString or Credentials.SecretNames.SchoolDbServerConnectionString;
}
