using CleverSyncSOS.Tests.Cli;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Fleet;
using CleverSyncSOS.Onboarding;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CleverSyncSOS.Tests.Fleet;

/// <summary>Creating 50 databases loads the server; run alone so other tests' statements do not time out meanwhile.</summary>
[CollectionDefinition(nameof(FleetMigrationTests), DisableParallelization = true)]
public sealed class FleetMigrationCollection;

[Collection(nameof(FleetMigrationTests))]
public sealed class FleetMigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Db_migrate_brings_behind_school_databases_up_reports_the_unreachable_one_and_status_then_lists_only_it(DatabaseProvider provider)
    {
        await using var fleet = await SchoolFleet.CreateAsync(provider, schools: 50);
        string[] behind = ["school07", "school23", "school41"];
        foreach (var id in behind)
        {
            await fleet.RollBackOneMigrationAsync(id);
        }

        const string unreachable = "school30";
        await fleet.MakeUnreachableAsync(unreachable);

        var before = await CleverSyncCli.RunAsync(fleet.Settings, null, "db", "status", "--json");
        Assert.Equal(1, before.ExitCode);
        Assert.Equal(string.Join(",", behind.Append(unreachable).Order(StringComparer.Ordinal)), Describe(before));

        var migrated = await CleverSyncCli.RunAsync(fleet.Settings, null, "db", "migrate", "--parallel", "8", "--json");

        Assert.True(migrated.ExitCode == 1, migrated.ToString());
        var databases = migrated.Json().GetProperty("databases").EnumerateArray().ToList();
        Assert.Equal(51, databases.Count);
        var byState = databases.ToLookup(d => d.GetProperty("state").GetString());
        Assert.Equal(behind, byState["Migrated"].Select(d => d.GetProperty("schoolId").GetString()).Order());
        Assert.All(byState["Migrated"], d =>
        {
            Assert.NotEqual(d.GetProperty("versionBefore").ToString(), d.GetProperty("versionAfter").GetString());
            Assert.Equal(d.GetProperty("latestVersion").GetString(), d.GetProperty("versionAfter").GetString());
        });
        var failed = Assert.Single(byState["Failed"]);
        Assert.Equal(unreachable, failed.GetProperty("schoolId").GetString());
        Assert.False(string.IsNullOrEmpty(failed.GetProperty("error").GetString()));
        Assert.Equal(47, byState["Current"].Count()); // SessionDb and the 46 untouched schools

        var after = await CleverSyncCli.RunAsync(fleet.Settings, null, "db", "status", "--json");
        Assert.Equal(1, after.ExitCode);
        Assert.Equal(unreachable, Describe(after));
    }

    [Fact]
    public async Task Db_migrate_dry_run_changes_nothing_and_names_what_it_would_apply()
    {
        await using var fleet = await SchoolFleet.CreateAsync(DatabaseProvider.Sqlite, schools: 3);
        await fleet.RollBackOneMigrationAsync("school01");

        var dryRun = await fleet.Services.GetRequiredService<DatabaseFleet>().MigrateAsync(dryRun: true, 2, null, CancellationToken.None);
        var status = await fleet.Services.GetRequiredService<DatabaseFleet>().StatusAsync(CancellationToken.None);

        var report = Assert.Single(dryRun, r => r.State == DatabaseState.Behind);
        Assert.Equal("school01", report.Database.CleverSchoolId);
        Assert.NotEmpty(report.Pending);
        Assert.Equal(report.VersionBefore, report.VersionAfter);
        Assert.Equal("school01", Assert.Single(status, r => r.NeedsAttention).Database.CleverSchoolId);
    }

    [Fact]
    public async Task With_auto_migration_off_a_behind_school_is_not_synced_and_the_others_are()
    {
        await using var env = await SyncTestEnvironment.StartAsync(configure: s => s[DatabaseOptions.AutoMigrateSchoolDatabasesKey] = "false");
        await env.OnboardAsync();
        var behind = env.District.Schools[0];
        await using (var db = await env.Services.GetRequiredService<SchoolDatabases>().ConnectAsync(await env.SchoolAsync(behind.Id), CancellationToken.None))
        {
            await TestDatabases.RollBackOneMigrationAsync(db);
        }

        var results = await env.SyncAsync();

        var refused = Assert.Single(results, r => r.Status == SyncStatus.Failed);
        Assert.Equal(behind.Id, refused.CleverSchoolId);
        Assert.Contains("cleversync db migrate", refused.Error);
        Assert.All(results.Where(r => r != refused), r => Assert.Equal(SyncStatus.Success, r.Status));
        var fleet = env.Services.GetRequiredService<DatabaseFleet>();
        Assert.Equal(behind.Id, Assert.Single(await fleet.StatusAsync(CancellationToken.None), r => r.NeedsAttention).Database.CleverSchoolId);

        await fleet.MigrateAsync(dryRun: false, 2, null, CancellationToken.None);
        var again = await env.SyncAsync(new CleverSyncSOS.Sync.SyncRequest(behind.Id));
        Assert.Equal(SyncStatus.Success, Assert.Single(again).Status);
    }

    /// <summary>The school ids a <c>db status --json</c> lists, in order, with the errors of any other database (so a failure says why).</summary>
    private static string Describe(CliResult result) => string.Join(",", result.Json().GetProperty("databases").EnumerateArray()
        .Select(d => d.GetProperty("schoolId").GetString() ?? $"{d.GetProperty("name").GetString()}: {d.GetProperty("error").GetString()}")
        .Order(StringComparer.Ordinal));

    /// <summary>A district of small school databases, all at the latest migration, without Clever: only their schema matters here.</summary>
    private sealed class SchoolFleet : IAsyncDisposable
    {
        private readonly TempDirectory _folder = new();
        private readonly string? _postgresPrefix;

        private SchoolFleet(DatabaseProvider provider)
        {
            Provider = provider;
            _postgresPrefix = provider == DatabaseProvider.PostgreSql ? $"csf_{Guid.NewGuid():N}"[..16] + "_" : null;
            Settings = new Dictionary<string, string?> { [DataDirectory.ConfigurationKey] = _folder.Path };
            if (_postgresPrefix is { } prefix)
            {
                var server = TestDatabases.PostgresServer!;
                Settings[$"{DatabaseOptions.SectionName}:SessionDbProvider"] = nameof(DatabaseProvider.PostgreSql);
                Settings[$"{DatabaseOptions.SectionName}:SessionDbConnectionString"] = new NpgsqlConnectionStringBuilder(server) { Database = prefix + "session" }.ToString();
                Settings[$"{DatabaseOptions.SectionName}:SchoolDbProvider"] = nameof(DatabaseProvider.PostgreSql);
                Settings[$"{DatabaseOptions.SectionName}:SchoolDbServerConnectionString"] = server;
                Settings[$"{DatabaseOptions.SectionName}:SchoolDatabaseNamePrefix"] = prefix;
            }

            Services = new ServiceCollection()
                .AddLogging()
                .AddCleverSyncCore(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build())
                .BuildServiceProvider();
        }

        public DatabaseProvider Provider { get; }

        public Dictionary<string, string?> Settings { get; }

        public ServiceProvider Services { get; }

        public static async Task<SchoolFleet> CreateAsync(DatabaseProvider provider, int schools)
        {
            var fleet = new SchoolFleet(provider);
            await fleet.Services.GetRequiredService<SessionDatabase>().MigrateAsync(CancellationToken.None);
            await using var scope = fleet.Services.CreateAsyncScope();
            var onboarding = scope.ServiceProvider.GetRequiredService<OnboardingService>();
            await onboarding.AddDistrictAsync("fleet-district", "Fleet District", null, CancellationToken.None);
            for (var i = 1; i <= schools; i++)
            {
                await onboarding.AddSchoolAsync("fleet-district", $"school{i:00}", $"School {i:00}", CancellationToken.None);
            }

            return fleet;
        }

        public async Task RollBackOneMigrationAsync(string cleverSchoolId)
        {
            await using var db = await Services.GetRequiredService<SchoolDatabases>().ConnectAsync(await SchoolAsync(cleverSchoolId), CancellationToken.None);
            await TestDatabases.RollBackOneMigrationAsync(db);
        }

        /// <summary>Points the school's connection-string secret at a server or file that cannot be opened.</summary>
        public async Task MakeUnreachableAsync(string cleverSchoolId)
        {
            var school = await SchoolAsync(cleverSchoolId);
            var connectionString = Provider == DatabaseProvider.PostgreSql
                ? new NpgsqlConnectionStringBuilder(TestDatabases.PostgresServer) { Host = "127.0.0.1", Port = 1, Database = school.DatabaseName, Timeout = 3 }.ToString()
                : new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.Path, "no-such-folder", "school.db"), Mode = SqliteOpenMode.ReadWrite }.ToString();
            await Services.GetRequiredService<ISecretStore>().SetSecretAsync(school.KeyVaultConnectionStringSecretName!, connectionString, CancellationToken.None);
        }

        private async Task<School> SchoolAsync(string cleverSchoolId)
        {
            await using var db = await Services.GetRequiredService<SessionDatabase>().CreateDbContextAsync(CancellationToken.None);
            return await db.Schools.AsNoTracking().SingleAsync(s => s.CleverSchoolId == cleverSchoolId);
        }

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            _folder.Dispose();
            if (_postgresPrefix is { } prefix)
            {
                await TestDatabases.DropPostgresDatabasesAsync(prefix);
            }
        }
    }
}
