using System.CommandLine;
using CleverSyncSOS.Host.Service;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>serve</c>: the long-running service; for now it hosts the health endpoints and the background auth probe.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var command = new Command("serve", "Run the service: GET /health/clever-auth reports Clever authentication health per district") { urls };
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
