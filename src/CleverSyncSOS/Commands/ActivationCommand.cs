using System.CommandLine;
using CleverSyncSOS.Fleet;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Output;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary>The <c>activate</c>/<c>deactivate</c> commands of districts and schools: one flag, nothing deleted, idempotent.</summary>
public static class ActivationCommand
{
    /// <param name="noun">"district" or "school"</param>
    /// <param name="inactiveWord">what an inactive one is called ("paused", "inactive")</param>
    /// <param name="apply">sets the flag; returns whether it changed</param>
    public static Command Create(string noun, string inactiveWord, bool active, string description,
        Func<FleetLifecycle, string, bool, CancellationToken, Task<bool>> apply)
    {
        var name = active ? "activate" : "deactivate";
        var id = new Option<string>("--id") { Description = $"Clever {noun} id", Required = true };
        var json = JsonOption.Create();
        var command = new Command(name, $"{description}. Exit code 0, or 1 when the {noun} is not onboarded") { id, json };
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var target = result.GetValue(id)!;
            var changed = await apply(services.GetRequiredService<FleetLifecycle>(), target, active, ct);
            var state = active ? "active" : inactiveWord;
            if (result.GetValue(json))
            {
                await CliJson.WriteAsync(result, new ChangeJson(CliJson.SchemaVersion, $"{noun} {name}", target, changed ? 1 : 0), CliJsonContext.Default.ChangeJson);
            }
            else
            {
                var capitalised = char.ToUpperInvariant(noun[0]) + noun[1..];
                AnsiConsole.MarkupLine(changed
                    ? $"{capitalised} {Markup.Escape(target)} is now {state}."
                    : $"{capitalised} {Markup.Escape(target)} was already {state}; nothing changed.");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
