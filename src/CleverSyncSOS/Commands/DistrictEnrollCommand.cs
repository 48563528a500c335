using System.CommandLine;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Output;
using CleverSyncSOS.Onboarding;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary>
/// <c>district add … --schools all|none|ID,ID</c>: onboarding in one command. The client id and secret come from the
/// environment variables named by <c>--client-id-env</c>/<c>--client-secret-env</c>, else from stdin (two lines),
/// else from hidden prompts; Clever must issue a token with them before anything is saved.
/// </summary>
public static class DistrictEnrollCommand
{
    public static readonly Option<string?> Schools = new("--schools")
    {
        Description = "Onboard in one step: check the credentials with Clever, store them, add 'all' schools Clever lists, 'none', " +
                      "or the given comma-separated Clever school ids, then run the checklist. Exit code 0 all green, 1 otherwise (wrong credentials save nothing)",
    };

    public static readonly Option<string?> ClientIdEnv = new("--client-id-env")
    {
        Description = "With --schools: read the client id from this environment variable (else stdin's first line, else a hidden prompt)",
    };

    public static readonly Option<string?> ClientSecretEnv = new("--client-secret-env")
    {
        Description = "With --schools: read the client secret from this environment variable (else stdin's next line, else a hidden prompt)",
    };

    public static readonly Option<bool> Json = JsonOption.Create();

    public static IEnumerable<Option> Options => [Schools, ClientIdEnv, ClientSecretEnv, Json];

    public static Task<int> RunAsync(ParseResult result, string districtId, string name, string? prefix, CancellationToken cancellationToken) =>
        CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var asJson = result.GetValue(Json);
            var console = JsonOption.Console(asJson);
            if (await ReadCredentialsAsync(result, console, ct) is not { } credentials)
            {
                return ExitCodes.ConfigurationError;
            }

            EnrollmentResult enrolled;
            try
            {
                enrolled = await services.GetRequiredService<DistrictEnrollment>().EnrollAsync(districtId, name, prefix, credentials,
                    SchoolChoice.Parse(result.GetValue(Schools) ?? "none"), ct);
            }
            catch (CleverAuthenticationException ex)
            {
                await Console.Error.WriteLineAsync($"Error: {ex.Message} Nothing was saved.");
                return ExitCodes.Error;
            }

            if (asJson)
            {
                await CliJson.WriteAsync(result, EnrollmentJson.From(enrolled), CliJsonContext.Default.EnrollmentJson);
            }
            else
            {
                Render(enrolled);
            }

            return enrolled.Passed ? ExitCodes.Success : ExitCodes.Error;
        }, cancellationToken, migrateSessionDb: false);

    private static void Render(EnrollmentResult enrolled)
    {
        AnsiConsole.MarkupLine($"District [bold]{Markup.Escape(enrolled.Name)}[/] ({Markup.Escape(enrolled.CleverDistrictId)}): Clever issued a token; its credentials are stored.");
        foreach (var school in enrolled.Schools)
        {
            AnsiConsole.MarkupLine(school.Added
                ? $"  [green]✓[/] {Markup.Escape(school.Name)} ({Markup.Escape(school.CleverSchoolId)}), database {Markup.Escape(school.DatabaseName ?? "")}"
                : $"  [red]✗[/] {Markup.Escape(school.Name)} ({Markup.Escape(school.CleverSchoolId)}): {Markup.Escape(school.Error ?? "")}");
        }

        CheckCommand.RenderTable(enrolled.Checklist);
    }

    /// <summary>Each value from its named environment variable, else the next line of redirected stdin, else a hidden prompt.</summary>
    private static async Task<ClientCredentials?> ReadCredentialsAsync(ParseResult result, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var clientId = await ReadAsync(result.GetValue(ClientIdEnv), "Clever client id", console, cancellationToken);
        var clientSecret = clientId is null ? null : await ReadAsync(result.GetValue(ClientSecretEnv), "Clever client secret", console, cancellationToken);
        return clientId is null || clientSecret is null ? null : new ClientCredentials(clientId, clientSecret);
    }

    private static async Task<string?> ReadAsync(string? variable, string what, IAnsiConsole console, CancellationToken cancellationToken)
    {
        string? value;
        string source;
        if (variable is not null)
        {
            value = Environment.GetEnvironmentVariable(variable);
            source = $"environment variable {variable}";
        }
        else if (Console.IsInputRedirected)
        {
            value = (await Console.In.ReadLineAsync(cancellationToken))?.Trim();
            source = "standard input";
        }
        else
        {
            value = console.Prompt(new TextPrompt<string>($"{what}:").Secret());
            source = "the prompt";
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            await Console.Error.WriteLineAsync($"Error: no {what} in {source}; nothing was saved.");
            return null;
        }

        return value.Trim();
    }
}
