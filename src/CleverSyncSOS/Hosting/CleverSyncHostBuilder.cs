using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using CleverSyncSOS.Persistence;

namespace CleverSyncSOS.Host.Hosting;

/// <summary>
/// The one composition root of every command: appsettings.json (beside the executable), then environment
/// variables (<c>CleverSyncSOS__Sync__MaxParallelSchools</c>), then the command line's options.
/// </summary>
public static class CleverSyncHostBuilder
{
    public static HostApplicationBuilder Create(CommonSettings settings, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(settings.ToConfiguration());
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        ConfigureLogging(builder.Logging, settings.Verbose);
        builder.Services.AddCleverSyncCore(builder.Configuration);
        builder.Services.AddCleverSyncTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>CLI logging goes to stderr, one line each with its scopes, so stdout keeps only the tables.</summary>
    public static void ConfigureLogging(ILoggingBuilder logging, bool verbose)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.IncludeScopes = true;
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (!verbose)
        {
            logging.AddFilter((category, level) => level >= LogLevel.Warning);
        }
    }
}

/// <summary>Options every command shares.</summary>
public sealed record CommonSettings(string? DataDir, bool Verbose)
{
    public IEnumerable<KeyValuePair<string, string?>> ToConfiguration() =>
        DataDir is null ? [] : [new(DataDirectory.ConfigurationKey, DataDir)];
}
