using System.CommandLine;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Host.Commands;

public static class SimulatorCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 = any free port)", DefaultValueFactory = _ => 5080 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data", DefaultValueFactory = _ => 42 };
        var districts = new Option<int>("--districts") { DefaultValueFactory = _ => 1 };
        var schools = new Option<int>("--schools") { Description = "Schools per district", DefaultValueFactory = _ => 3 };
        var students = new Option<int>("--students") { Description = "Students per school", DefaultValueFactory = _ => 300 };
        var teachers = new Option<int>("--teachers") { Description = "Teachers per school", DefaultValueFactory = _ => 30 };
        var tokenLifetime = new Option<int?>("--token-lifetime") { Description = "Token lifetime in seconds (default: tokens never expire, like Clever's)" };
        var rateLimit = new Option<int>("--rate-limit") { Description = "Requests per minute per token", DefaultValueFactory = _ => 1200 };
        var latency = new Option<int>("--latency-ms") { Description = "Latency added to every data response", DefaultValueFactory = _ => 0 };
        var noEvents = new Option<bool>("--no-events") { Description = "Record no events (a district that has not enabled them)" };

        var command = new Command("simulator", "Run the bundled Clever API simulator (staging, manual tests); its subcommands change a running one")
        {
            port, seed, districts, schools, students, teachers, tokenLifetime, rateLimit, latency, noEvents,
        };
        foreach (var control in SimulatorControlCommands.Create())
        {
            command.Subcommands.Add(control);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new SimulatorOptions
            {
                Seed = result.GetValue(seed),
                Districts = result.GetValue(districts),
                SchoolsPerDistrict = result.GetValue(schools),
                StudentsPerSchool = result.GetValue(students),
                TeachersPerSchool = result.GetValue(teachers),
                TokenLifetimeSeconds = result.GetValue(tokenLifetime),
                RateLimitPerMinute = result.GetValue(rateLimit),
                LatencyMilliseconds = result.GetValue(latency),
                EventsEnabled = !result.GetValue(noEvents),
            };
            try
            {
                await CleverSimulator.RunAsync(options, result.GetValue(port), Console.Out, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: a normal way to stop it.
            }

            return 0;
        });
        return command;
    }
}
