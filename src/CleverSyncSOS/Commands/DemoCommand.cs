using System.CommandLine;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Host.Demo;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Simulator;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

public static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Start the bundled Clever simulator, onboard its district, run a full and an incremental sync, and print what happened");
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var simulator = await CleverSimulator.StartAsync(DemoRunner.SimulatorOptions, 0, cancellationToken);
            return await CommandHost.RunAsync(CommonOptions.Read(result),
                (services, ct) => new DemoRunner(services, AnsiConsole.Console).RunAsync(simulator, ct),
                cancellationToken, PointAt(simulator));
        });
        return command;
    }

    /// <summary>Configuration that points the service at a Clever-compatible server instead of Clever.</summary>
    public static IReadOnlyDictionary<string, string?> PointAt(CleverSimulator simulator) => new Dictionary<string, string?>
    {
        [$"{CleverAuthConfiguration.SectionName}:TokenEndpoint"] = simulator.TokenEndpoint.ToString(),
        [$"{CleverApiOptions.SectionName}:BaseUrl"] = simulator.ApiBaseUrl.ToString(),
    };
}
