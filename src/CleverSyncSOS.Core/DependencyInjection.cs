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
                SecretStoreProvider.Local => new LocalSecretStore(options.LocalPath ?? sp.GetRequiredService<DataDirectory>().SecretsFile),
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
        var client = services.AddHttpClient<CleverApiClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<CleverApiOptions>>().Value;
                http.BaseAddress = new Uri(options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/");
                // Each attempt has its own timeout in the resilience pipeline.
                http.Timeout = Timeout.InfiniteTimeSpan;
            });

        // Outer: retries with backoff and per-attempt timeouts. Inner: pacing by Clever's rate-limit headers, per attempt.
        client.AddResilienceHandler("clever-api", (builder, context) =>
            {
                var retry = context.ServiceProvider.GetRequiredService<IOptions<CleverAuthConfiguration>>().Value.RetryPolicy;
                var api = context.ServiceProvider.GetRequiredService<IOptions<CleverApiOptions>>().Value;
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                if (retry.MaxRetries > 0)
                {
                    builder.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = retry.MaxRetries,
                        Delay = TimeSpan.FromSeconds(retry.BaseDelaySeconds),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = retry.UseJitter,
                        ShouldRetryAfterHeader = false,
                        // On 429, Clever says when its window resets; wait until then instead of guessing.
                        DelayGenerator = args =>
                            args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response
                            && CleverRateLimitHandler.ReadReset(response) is { } reset
                                ? ValueTask.FromResult<TimeSpan?>(Clamp(reset - time.GetUtcNow() + TimeSpan.FromMilliseconds(100)))
                                : ValueTask.FromResult<TimeSpan?>(null),
                    });
                }

                builder.AddTimeout(TimeSpan.FromSeconds(api.RequestTimeoutSeconds));
            });
        client.AddHttpMessageHandler<CleverRateLimitHandler>();
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromMinutes(2) ? TimeSpan.FromMinutes(2) : wait;

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
        services.AddScoped<FullRosterRead>();
        services.AddScoped<EventRosterUpdate>();
    }
}
