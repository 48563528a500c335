using System.Net;
using System.Text.Json;
using CleverSyncSOS.Fleet;
using CleverSyncSOS.Health;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Tests.Fleet;
using CleverSyncSOS.Tests.Infrastructure;
using CleverSyncSOS.Tests.Service;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Health;

public sealed class SchoolSchemaHealthTests
{
    [Fact]
    public async Task Serve_health_names_the_school_database_one_migration_behind_from_its_periodic_scan_not_per_request()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 2));
        await env.OnboardAsync();
        var behind = env.District.Schools[0].Id;
        await using (var db = await env.Services.GetRequiredService<SchoolDatabases>().ConnectAsync(await env.SchoolAsync(behind), CancellationToken.None))
        {
            await TestDatabases.RollBackOneMigrationAsync(db);
        }

        await using var serve = await ServeHarness.StartAsync(env, c => c[$"{DatabaseOptions.SectionName}:SchemaCheckIntervalSeconds"] = "3600");

        var first = await SchemaEntryAsync(serve, scanned: true);
        Assert.Equal("Degraded", first.GetProperty("status").GetString());
        Assert.Equal([behind], Ids(first, "behind"));
        Assert.Empty(Ids(first, "unreachable"));
        Assert.Equal(2, first.GetProperty("data").GetProperty("schoolsChecked").GetInt32());
        var description = first.GetProperty("description").GetString()!;
        Assert.Contains(behind, description);
        Assert.Contains("cleversync db migrate", description);
        Assert.DoesNotContain("Data Source", first.ToString());

        var status = await CleverSyncCli.RunAsync(env.Settings, null, "db", "status");
        Assert.True(status.ExitCode == 1, status.ToString());
        Assert.Contains("school-schema", status.Stdout); // db status points to the health entry

        // Migrated behind serve's back: the entry is the latest scan's, not a new scan per request...
        await serve.App.Services.GetRequiredService<DatabaseFleet>().MigrateAsync(dryRun: false, 2, null, CancellationToken.None);
        Assert.Equal([behind], Ids(await SchemaEntryAsync(serve, scanned: true), "behind"));

        // ...and the next scan sees it.
        await serve.App.Services.GetRequiredService<SchoolSchemaMonitor>().ScanAsync(CancellationToken.None);
        var after = await SchemaEntryAsync(serve, scanned: true);
        Assert.Equal("Healthy", after.GetProperty("status").GetString());
        Assert.Empty(Ids(after, "behind"));
    }

    [Fact]
    public async Task Serve_refuses_a_schema_check_interval_out_of_range_naming_the_key()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            ServeHarness.StartAsync(env, c => c[$"{DatabaseOptions.SectionName}:SchemaCheckIntervalSeconds"] = "0"));
        Assert.Contains("SchemaCheckIntervalSeconds", error.Message);
    }

    private static IEnumerable<string> Ids(JsonElement entry, string list) =>
        entry.GetProperty("data").GetProperty(list).EnumerateArray().Select(e => e.GetString()!);

    /// <summary>The <c>school-schema</c> entry of <c>/health</c>; with <paramref name="scanned"/>, once the first scan has answered.</summary>
    private static async Task<JsonElement> SchemaEntryAsync(ServeHarness serve, bool scanned)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await serve.Http.GetAsync("health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var entry = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty(SchoolSchemaHealthCheck.Name).Clone();
            if (!scanned || entry.TryGetProperty("data", out var data) && data.TryGetProperty("checkedAt", out _) || attempt == 300)
            {
                return entry;
            }

            await Task.Delay(100);
        }
    }
}
