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
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(OnboardingCommands.District());
        root.Subcommands.Add(OnboardingCommands.School());
        root.Subcommands.Add(SecretsCommand.Create());
        root.Subcommands.Add(PauseCommand.Create());
        root.Subcommands.Add(SimulatorCommand.Create());
        root.Subcommands.Add(UserCommand.Create());
        return root;
    }
}
