using System.Net;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Credentials.KeyVault;
using CleverSyncSOS.Fleet;
using CleverSyncSOS.Health;
using CleverSyncSOS.Onboarding;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace CleverSyncSOS;

/// <summary>The composition root of the domain: every host (CLI, service, tests, benchmarks) registers through this.</summary>
public static class DependencyInjection
{
    public static IServiceCollection AddCleverSyncCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new DataDirectory(configuration[DataDirectory.ConfigurationKey] is { Length: > 0 } dir ? dir : DataDirectory.Default));

        services.AddCleverSyncOptions(configuration);
        services.AddCleverSyncSecrets();
        services.AddCleverSyncAuthentication();
        services.AddCleverSyncClever();
        services.AddCleverSyncPersistence();
        services.AddCleverSyncEngine();
        services.AddScoped<OnboardingService>();
        services.AddScoped<OnboardingChecklist>();
        services.AddCleverSyncFleet();
        return services;
    }

    private static void AddCleverSyncOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CleverAuthConfiguration>().Bind(configuration.GetSection(CleverAuthConfiguration.SectionName)).ValidateOnStart();
        services.AddOptions<CleverApiOptions>().Bind(configuration.GetSection(CleverApiOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SyncOptions>().Bind(configuration.GetSection(SyncOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecretStoreOptions>().Bind(configuration.GetSection(SecretStoreOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Runs.SchedulerOptions>().Bind(configuration.GetSection(Runs.SchedulerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CleverAuthConfiguration>, CleverAuthConfigurationValidator>();
        services.AddSingleton<IValidateOptions<CleverApiOptions>, CleverApiOptionsValidator>();
        services.AddSingleton<IValidateOptions<SecretStoreOptions>, SecretStoreOptionsValidator>();
    }

    private static void AddCleverSyncSecrets(this IServiceCollection services)
    {
        services.AddSingleton(sp => KeyVaultSecretStore.Create(
            sp.GetRequiredService<IOptions<SecretStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ISecretStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecretStoreOptions>>().Value;
            return options.Provider switch
            {
                SecretStoreProvider.Local => new LocalSecretStore(options.LocalPath ?? sp.GetRequiredService<DataDirectory>().SecretsFile,
                    sp.GetRequiredService<ILogger<LocalSecretStore>>()),
                SecretStoreProvider.KeyVault => sp.GetRequiredService<KeyVaultSecretStore>(),
                _ => throw new InvalidOperationException($"Unknown secret store provider '{options.Provider}'."),
            };
        });
        services.AddSingleton<ISecretStoreHealthReporter, SecretStoreHealthReporter>();
    }

    private static void AddCleverSyncAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<AuthenticationHealthTracker>();
        services.AddSingleton<CleverTokenClient>();
        services.AddSingleton<ICleverTokenProvider, CleverTokenProvider>();
        services.AddHttpClient(CleverTokenClient.HttpClientName, (sp, http) =>
            http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<CleverAuthConfiguration>>().Value.RequestTimeoutSeconds));
    }

    private static void AddCleverSyncClever(this IServiceCollection services)
    {
        services.AddTransient<CleverRateLimitHandler>();
        services.AddTransient<CleverResponseBuffering>();
        var client = services.AddHttpClient<CleverApiClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<CleverApiOptions>>().Value;
                http.BaseAddress = new Uri(options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/");
                // Each attempt has its own timeout in the resilience pipeline.
                http.Timeout = Timeout.InfiniteTimeSpan;
            });

        // Outermost: 429s, waited out until Clever's window resets. Then retries of transient failures with backoff,
        // each attempt bounded as a whole by the timeout (the innermost handler reads the body within it). Inner:
        // pacing by Clever's rate-limit headers, per attempt.
        client.AddResilienceHandler("clever-api", (builder, context) =>
            {
                var retry = context.ServiceProvider.GetRequiredService<IOptions<CleverAuthConfiguration>>().Value.RetryPolicy;
                var api = context.ServiceProvider.GetRequiredService<IOptions<CleverApiOptions>>().Value;
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                var window = TimeSpan.FromSeconds(api.RateLimitWindowSeconds);
                builder.AddRetry(new HttpRetryStrategyOptions
                {
                    // Without X-Ratelimit-Reset, quarter-window steps (spread a little, so schools sharing a token do not
                    // come back in step): twenty of them outlast five whole windows, enough for five schools and their
                    // class reads to take turns on one token's allowance without one of them giving up.
                    MaxRetryAttempts = RateLimitRetries,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
                    ShouldRetryAfterHeader = false,
                    UseJitter = false,
                    DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                        args.Outcome.Result is { } response && CleverRateLimitHandler.ReadReset(response) is { } reset
                            ? Clamp(reset - time.GetUtcNow() + TimeSpan.FromMilliseconds(100), 2 * window)
                            : window / 4 * (0.75 + Random.Shared.NextDouble() / 2)),
                });

                if (retry.MaxRetries > 0)
                {
                    builder.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = retry.MaxRetries,
                        Delay = TimeSpan.FromSeconds(retry.BaseDelaySeconds),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = retry.UseJitter,
                        ShouldRetryAfterHeader = false,
                        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests
                            && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                    });
                }

                builder.AddTimeout(TimeSpan.FromSeconds(api.RequestTimeoutSeconds));
            });
        client.AddHttpMessageHandler<CleverRateLimitHandler>();
        client.AddHttpMessageHandler<CleverResponseBuffering>();
    }

    /// <summary>How often one request is retried on 429 before it fails.</summary>
    private const int RateLimitRetries = 20;

    private static TimeSpan Clamp(TimeSpan wait, TimeSpan max) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > max ? max : wait;

    private static void AddCleverSyncPersistence(this IServiceCollection services)
    {
        services.AddSingleton<SessionDatabase>();
        services.AddSingleton<SchoolDatabases>();
    }

    private static void AddCleverSyncEngine(this IServiceCollection services)
    {
        services.AddSingleton<SyncHistoryRecorder>();
        services.AddSingleton<SyncOrchestrator>();
        services.AddScoped<SchoolSyncJob>();
        services.AddSingleton<Sync.Planning.SyncPlanner>();
        services.AddSingleton<Sync.Planning.EntitySelector>();
        services.AddScoped<Sync.Reading.SourceReader>();
        services.AddScoped<Sync.Applying.FullSync>();
        services.AddScoped<Sync.Applying.EventSync>();
        services.AddScoped<Sync.Events.DistrictEventReader>();
        services.AddSingleton<Sync.Events.DistrictEventFeeds>();
        services.AddSingleton<Sync.Changes.ChangeLogReader>();
        services.AddScoped<Sync.Undo.RunUndo>();
        services.AddSingleton<Runs.InstanceIdentity>();
        services.AddSingleton<Runs.InstanceRegistry>();
        services.AddSingleton<Runs.SyncRunStore>();
        services.AddSingleton<Runs.PauseWindows>();
    }
}
