using CleverSyncSOS.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.Hosting;

/// <summary>Runs one CLI command inside a built host: options validated, SessionDb migrated, a scope for the command.</summary>
public static class CommandHost
{
    public static async Task<int> RunAsync(CommonSettings settings, Func<IServiceProvider, CancellationToken, Task<int>> command,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var host = CleverSyncHostBuilder.Create(settings, overrides).Build();
        var failures = ConfigurationFailures(host.Services);
        if (failures.Count > 0)
        {
            await ReportConfigurationErrorsAsync(failures);
            host.Dispose();
            return ExitCodes.ConfigurationError;
        }

        using (host)
        {
            TelemetryRegistration.StartTelemetry(host.Services);
            try
            {
                await host.Services.GetRequiredService<SessionDatabase>().MigrateAsync(cancellationToken);
                await using var scope = host.Services.CreateAsyncScope();
                return await command(scope.ServiceProvider, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("Cancelled.");
                return ExitCodes.Cancelled;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Credentials.SecretNotFoundException)
            {
                await Console.Error.WriteLineAsync($"Error: {ex.Message}");
                return ExitCodes.Error;
            }
        }
    }

    /// <summary>
    /// Every configuration problem, each naming its key. ValidateOnStart checks run when a host starts; CLI
    /// commands do not start one, so they are run here.
    /// </summary>
    public static IReadOnlyList<string> ConfigurationFailures(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException)
        {
            return Failures(ex).ToList();
        }
    }

    public static IEnumerable<string> Failures(Exception ex) => ex switch
    {
        OptionsValidationException options => options.Failures,
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Failures),
        _ => [ex.Message],
    };

    public static async Task ReportConfigurationErrorsAsync(IEnumerable<string> failures)
    {
        await Console.Error.WriteLineAsync("Configuration error (appsettings.json, CleverSyncSOS__* environment variables or options):");
        foreach (var failure in failures)
        {
            await Console.Error.WriteLineAsync($"  - {failure}");
        }
    }
}

public static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
    public const int Partial = 2;
    public const int ConfigurationError = 3;
    public const int Cancelled = 130;
}
