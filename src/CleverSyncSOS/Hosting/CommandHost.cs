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
        IHost host;
        try
        {
            host = CleverSyncHostBuilder.Create(settings, overrides).Build();
            ValidateOptions(host.Services);
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {string.Join(" ", ex.Failures)}");
            return ExitCodes.ConfigurationError;
        }

        using (host)
        {
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

    /// <summary>ValidateOnStart checks run when the host starts; CLI commands do not start it, so run them here.</summary>
    public static void ValidateOptions(IServiceProvider services) => services.GetService<IStartupValidator>()?.Validate();
}

public static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
    public const int Partial = 2;
    public const int ConfigurationError = 3;
    public const int Cancelled = 130;
}
