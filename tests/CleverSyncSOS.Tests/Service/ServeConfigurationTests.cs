using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Service;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Tests.Service;

public sealed class ServeConfigurationTests
{
    [Fact]
    public async Task Serve_refuses_to_start_with_a_bad_schedule_or_clustering_on_sqlite_naming_each_key()
    {
        using var dir = new TempDirectory();
        var app = ServiceHost.Build(new CommonSettings(dir.Path, Verbose: false), "http://127.0.0.1:0", new Dictionary<string, string?>
        {
            ["CleverSyncSOS:Scheduler:Cron"] = "every night at two",
            ["CleverSyncSOS:Scheduler:TimeZone"] = "Mars/Olympus",
            ["CleverSyncSOS:Scheduler:Clustered"] = "true",
            ["CleverSyncSOS:Alerts:WebhookUrl"] = "ftp://alerts.example",
            ["CleverSyncSOS:Api:KeySecretNames:0"] = "not a secret name",
            ["CleverSyncSOS:Api:JwtAuthority"] = "http://issuer.example", // plain http is for loopback issuers only
            ["CleverSyncSOS:Api:JwtAudience"] = "cleversync",
        });
        await using (app)
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
            var failures = string.Join("\n", StartupFailures.Describe(ex) ?? []);
            Assert.Contains("CleverSyncSOS:Scheduler:Cron", failures);
            Assert.Contains("CleverSyncSOS:Scheduler:TimeZone", failures);
            Assert.Contains("CleverSyncSOS:Scheduler:Clustered", failures);
            Assert.Contains("CleverSyncSOS:Alerts:WebhookUrl", failures);
            Assert.Contains("CleverSyncSOS:Api:KeySecretNames", failures);
            Assert.Contains("CleverSyncSOS:Api:JwtAuthority", failures);
            Assert.True(ex is OptionsValidationException or AggregateException);
        }
    }
}
