using System.CommandLine;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.OperatorConsole.Users;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>user add</c>: a console account; the password is read from a hidden prompt or standard input, never the command line.</summary>
public static class UserCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "The user's email, used to sign in", Required = true };
        var role = new Option<string>("--role") { Description = "Viewer, Operator or Admin", Required = true };
        var district = new Option<string[]>("--district") { Description = "Limit the user to this Clever district id (repeatable); none: every district" };
        var add = new Command("add", "Add an operator console user; the password is prompted for (hidden) or read from standard input") { email, role, district };
        add.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var password = Console.IsInputRedirected
                ? (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n')
                : AnsiConsole.Prompt(new TextPrompt<string>("Password (at least 12 characters):").Secret());

            await using var users = UserServices(services);
            await users.GetRequiredService<ConsoleUsersDatabase>().MigrateAsync(ct);
            await using var scope = users.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<ConsoleUserAccounts>()
                .CreateAsync(result.GetValue(email), password, result.GetValue(role), result.GetValue(district) ?? [], ct);
            if (!outcome.Succeeded)
            {
                foreach (var error in outcome.Errors)
                {
                    await Console.Error.WriteLineAsync($"Error: {error}");
                }

                return ExitCodes.Error;
            }

            AnsiConsole.MarkupLine($"Added [bold]{Markup.Escape(result.GetValue(email)!.Trim())}[/] as {Markup.Escape(ConsoleRoles.Parse(result.GetValue(role))!)}; sign in at the console of 'cleversync serve'.");
            return ExitCodes.Success;
        }, cancellationToken));
        return new Command("user", "Manage operator console users") { add };
    }

    /// <summary>Identity's user store on its own: the CLI host has no web stack, so the command composes just what it needs.</summary>
    private static ServiceProvider UserServices(IServiceProvider host)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(host.GetRequiredService<SessionDatabase>());
        services.AddSingleton(host.GetRequiredService<IOptions<DatabaseOptions>>());
        services.AddConsoleIdentityStore();
        return services.BuildServiceProvider();
    }
}
