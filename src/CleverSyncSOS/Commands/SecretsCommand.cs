using System.CommandLine;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>secrets set NAME</c>: the value is read from a hidden prompt or from standard input, never from the command line.</summary>
public static class SecretsCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Secret name, e.g. District-ABC--ClientSecret" };
        var set = new Command("set", "Store a secret; the value is prompted for (hidden) or read from standard input, and never printed") { name };
        set.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var secretName = result.GetValue(name)!;
            if (!SecretNames.IsValid(secretName))
            {
                await Console.Error.WriteLineAsync($"Error: '{secretName}' is not a valid secret name: use 1–127 letters, digits and dashes.");
                return ExitCodes.Error;
            }

            var value = Console.IsInputRedirected
                ? (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n')
                : AnsiConsole.Prompt(new TextPrompt<string>($"Value of {secretName}:").Secret());
            if (string.IsNullOrEmpty(value))
            {
                await Console.Error.WriteLineAsync("Error: the secret's value is empty; nothing was stored.");
                return ExitCodes.Error;
            }

            await services.GetRequiredService<ISecretStore>().SetSecretAsync(secretName, value, ct);
            AnsiConsole.MarkupLine($"Stored secret [bold]{Markup.Escape(secretName)}[/].");
            return ExitCodes.Success;
        }, cancellationToken));
        return new Command("secrets", "Manage the local secret store (Key Vault is managed with Azure's tools)") { set };
    }
}
