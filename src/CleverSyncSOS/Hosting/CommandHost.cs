using CleverSyncSOS.Naming;
using CleverSyncSOS.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.Hosting;

/// <summary>Runs one CLI command inside a built host: options validated, SessionDb migrated, a scope for the command.</summary>
public static class CommandHost
{
    public static async Task<int> RunAsync(CommonSettings settings, Func<IServiceProvider, CancellationToken, Task<int>> command,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? overrides = null, bool migrateSessionDb = true)
    {
        using var host = CleverSyncHostBuilder.Create(settings, overrides).Build();
        if (await PreflightAsync(host.Services, cancellationToken, migrateSessionDb) is { } failed)
        {
            return failed;
        }

        TelemetryRegistration.StartTelemetry(host.Services);
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await command(scope.ServiceProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (StartupFailures.Describe(ex) is { } messages)
        {
            await ReportConfigurationErrorsAsync(messages);
            return ExitCodes.ConfigurationError;
        }
        catch (InvalidIdentifierException ex)
        {
            // An id or name the operator typed: a usage error.
            await Console.Error.WriteLineAsync($"Error: {ex.Message}");
            return ExitCodes.ConfigurationError;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never a stack trace for the operator: the message says what failed; --verbose logs the trace.
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CleverSyncSOS.Command").LogDebug(ex, "The command failed");
            await Console.Error.WriteLineAsync($"Error: {Message(ex)}");
            return ExitCodes.Error;
        }
    }

    /// <summary>
    /// What every command and the service check before they start: the configuration, and SessionDb brought to the
    /// latest migration (unless <paramref name="migrateSessionDb"/> is false: a command that must not create it before it
    /// has checked something, or that migrates it itself). A problem is printed as messages naming the key or the cause
    /// and gives exit code 3 (130 when cancelled); null means go on.
    /// </summary>
    public static async Task<int?> PreflightAsync(IServiceProvider services, CancellationToken cancellationToken, bool migrateSessionDb = true)
    {
        var failures = ConfigurationFailures(services);
        try
        {
            if (failures.Count == 0)
            {
                if (migrateSessionDb)
                {
                    await services.GetRequiredService<SessionDatabase>().MigrateAsync(cancellationToken);
                }

                return null;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (StartupFailures.Describe(ex) is { } messages)
        {
            failures = messages;
        }

        await ReportConfigurationErrorsAsync(failures);
        return ExitCodes.ConfigurationError;
    }

    private static string Message(Exception ex) => ex is ArgumentException or InvalidOperationException or Credentials.SecretNotFoundException
        ? ex.Message
        : $"{ex.GetBaseException().Message} ({ex.GetBaseException().GetType().Name})";

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
        catch (Exception ex) when (StartupFailures.Describe(ex) is { } failures)
        {
            return failures;
        }
        catch (Exception ex)
        {
            // A validator that throws instead of failing: still the configuration, still no stack trace.
            return [$"The configuration could not be validated: {ex.GetBaseException().Message}"];
        }
    }

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
