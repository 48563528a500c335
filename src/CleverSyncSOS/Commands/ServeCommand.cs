using System.CommandLine;
using CleverSyncSOS.Host.Service;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>serve</c>: the long-running service (scheduler, /api, /health).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var command = new Command("serve", "Run the service: scheduled syncs, the /api trigger API and the /health endpoints") { urls };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                await using var app = ServiceHost.Build(CommonOptions.Read(result), result.GetValue(urls)!);
                // Checked before the host starts, so a problem is one message instead of the host's failure log.
                if (await Hosting.CommandHost.PreflightAsync(app.Services, cancellationToken) is { } failed)
                {
                    return failed;
                }

                await app.RunAsync(cancellationToken);
                return Hosting.ExitCodes.Success;
            }
            catch (Exception ex) when (Hosting.StartupFailures.Describe(ex) is { } failures)
            {
                await Hosting.CommandHost.ReportConfigurationErrorsAsync(failures);
                return Hosting.ExitCodes.ConfigurationError;
            }
        });
        return command;
    }
}
