using CleverSyncSOS.Host.Service.Alerts;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Runs;
using CleverSyncSOS.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Quartz;

namespace CleverSyncSOS.Host.Service.Scheduling;

public static class SchedulingRegistration
{
    /// <summary>
    /// Quartz.NET inside <c>serve</c>: an in-memory store by default, or, with <c>CleverSyncSOS:Scheduler:Clustered=true</c>,
    /// a clustered ADO job store in SessionDb (PostgreSQL or SQL Server) whose tables the scheduler creates itself. At most
    /// <c>Sync:MaxParallelSchools</c> school jobs run at once per process.
    /// </summary>
    public static IServiceCollection AddCleverSyncScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        var scheduler = configuration.GetSection(SchedulerOptions.SectionName).Get<SchedulerOptions>() ?? new SchedulerOptions();
        var databases = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var parallel = configuration.GetSection(SyncOptions.SectionName).Get<SyncOptions>()?.MaxParallelSchools ?? new SyncOptions().MaxParallelSchools;

        // One identity for this process in SessionDb and in the Quartz cluster, so a node's runs and its firings carry the same id.
        var identity = new InstanceIdentity();
        services.AddSingleton(identity);
        services.AddSingleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>();
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.WebhookUrl) || (Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"),
                $"{AlertOptions.SectionName}:WebhookUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        services.AddSingleton<LiveProgress>();
        services.AddSingleton<SyncAlerts>();
        services.AddSingleton<SyncJobQueue>();
        services.AddSingleton<ShutdownGrace>();
        services.AddHostedService(sp => sp.GetRequiredService<ShutdownGrace>());
        services.AddHostedService<AlertWebhookSender>();
        services.AddHttpClient(AlertWebhookSender.HttpClientName).AddResilienceHandler("alert-webhook", (builder, context) =>
        {
            var alerts = context.ServiceProvider.GetRequiredService<IOptions<AlertOptions>>().Value;
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, alerts.WebhookMaxRetries),
                Delay = TimeSpan.FromSeconds(alerts.WebhookBaseDelaySeconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
            builder.AddTimeout(TimeSpan.FromSeconds(10));
        });

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "CleverSyncSOS";
                if (scheduler.Clustered)
                {
                    s.InstanceId = identity.Id;
                }

                s.ShutdownJobInterruption = ShutdownJobInterruption.Never;
                s.IdleWaitTime = TimeSpan.FromSeconds(scheduler.IdleWaitSeconds);
            });
            q.UseDefaultThreadPool(parallel + 1); // the schools, plus the schedule's own short job
            if (scheduler.Clustered)
            {
                q.UsePersistentStore(store =>
                {
                    void Source(DataSourceOptions source) => source.DataSourceFactory = sp => SessionDataSource(sp, databases.SessionDbProvider);
                    _ = databases.SessionDbProvider == DatabaseProvider.SqlServer ? store.UseSqlServer(Source) : store.UsePostgres(Source);
                    store.UseSystemTextJsonSerializer();
                    store.ProvisionSchema();
                    store.ConfigureStore(o =>
                    {
                        o.StoreJobDataAsStrings = true;
                        o.MisfireThreshold = TimeSpan.FromSeconds(scheduler.MisfireThresholdSeconds);
                    });
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(scheduler.CheckinIntervalSeconds);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(scheduler.CheckinMisfireSeconds);
                    });
                });
            }
            else
            {
                q.UseInMemoryStore(o => o.MisfireThreshold = TimeSpan.FromSeconds(scheduler.MisfireThresholdSeconds));
            }
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = false;
        });
        services.AddHostedService<ScheduleInstaller>();
        return services;
    }

    /// <summary>
    /// The job store reaches SessionDb by the same connection string as EF Core (configuration or secret store). It is
    /// resolved by then: SessionDb has been migrated before the scheduler starts.
    /// </summary>
    private static System.Data.Common.DbDataSource SessionDataSource(IServiceProvider services, DatabaseProvider provider)
    {
        var connectionString = services.GetRequiredService<SessionDatabase>().GetConnectionStringAsync(CancellationToken.None).GetAwaiter().GetResult();
        return provider == DatabaseProvider.SqlServer
            ? Microsoft.Data.SqlClient.SqlClientFactory.Instance.CreateDataSource(connectionString)
            : Npgsql.NpgsqlDataSource.Create(connectionString);
    }
}
