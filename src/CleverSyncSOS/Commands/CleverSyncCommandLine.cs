using System.CommandLine;

namespace CleverSyncSOS.Host.Commands;

/// <summary>The command tree of <c>cleversync</c>.</summary>
public static class CleverSyncCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("CleverSyncSOS keeps each school's database in step with its Clever roster")
        {
            CommonOptions.DataDir,
            CommonOptions.Verbose,
        };
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(SyncCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ChangesCommand.Create());
        root.Subcommands.Add(UndoCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        var district = OnboardingCommands.District();
        DistrictCommands.AddTo(district);
        root.Subcommands.Add(district);
        var school = OnboardingCommands.School();
        SchoolCommands.AddTo(school);
        root.Subcommands.Add(school);
        var secrets = SecretsCommand.Create();
        SecretsListCommand.AddTo(secrets);
        root.Subcommands.Add(secrets);
        root.Subcommands.Add(DbCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        root.Subcommands.Add(PauseCommand.Create());
        root.Subcommands.Add(SimulatorCommand.Create());
        root.Subcommands.Add(UserCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; a usage error (unknown option, missing value) exits with 3, like any configuration error.</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        Output.PipedOutput.Widen(Spectre.Console.AnsiConsole.Console);
        var parsed = Build().Parse(args);
        var exitCode = await parsed.InvokeAsync();
        return parsed.Errors.Count > 0 ? Hosting.ExitCodes.ConfigurationError : exitCode;
    }
}
