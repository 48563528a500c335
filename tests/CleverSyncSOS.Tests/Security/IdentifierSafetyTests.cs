using System.Collections.Concurrent;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Naming;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CleverSyncSOS.Tests.Security;

/// <summary>
/// Ids from operators or Clever can neither leave the data folder nor inject SQL, and one school's job touches
/// only its own secret and database (issue 8, "What to build" 4).
/// </summary>
public sealed class IdentifierSafetyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabases.Providers;

    private static readonly (string Id, string Name, int Students)[] HostileSchools =
    [
        ("../../outside", "Traversal", 3),
        ("..\\..\\windows", "Backslashes", 3),
        ("x\"; DROP DATABASE postgres; --", "Quote and SQL", 4),
        ("'; DROP TABLE \"Students\"; --", "SQL in quotes", 5),
        ("école", "Accented", 2),
    ];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Hostile_school_ids_get_safe_databases_inside_the_data_folder_and_sync_as_data(DatabaseProvider provider)
    {
        await using var clever = await CraftedClever.StartAsync(HostileSchools);
        await using var env = await CraftedCleverEnvironment.StartAsync(clever, provider);
        await CraftedCleverEnvironment.OnboardDistrictAsync(env);
        foreach (var (id, name, _) in HostileSchools)
        {
            await CraftedCleverEnvironment.AddSchoolAsync(env, id, name);
        }

        var results = await env.SyncAsync();

        Assert.All(results, r => Assert.True(r.Status == SyncStatus.Success, $"{r.CleverSchoolId}: {r.Error}"));
        foreach (var (id, _, _) in HostileSchools)
        {
            var school = await env.SchoolAsync(id);
            Assert.Matches("^[a-z0-9_]{1,63}$", school.DatabaseName!);
            Assert.True(SecretNames.IsValid(school.KeyVaultConnectionStringSecretName!));
            Assert.Equal(clever.StudentIds(id), (await env.StudentsAsync(id)).Select(s => s.CleverStudentId));
        }

        // Where a path built from the raw ids would have landed.
        foreach (var (id, _, _) in HostileSchools)
        {
            foreach (var escaped in new[] { Path.Combine(env.DataDir, "schools", id + ".db"), Path.Combine(env.DataDir, id + ".db"), Path.Combine(env.DataDir, "schools", "school_" + id + ".db") })
            {
                Assert.False(File.Exists(Path.GetFullPath(escaped)), escaped);
            }
        }

        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.Equal(HostileSchools.Length, Directory.GetFiles(Path.Combine(env.DataDir, "schools"), "*.db").Length);
        }
        else
        {
            // Every school database exists under its safe name, and PostgreSQL's own database is still there.
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabases.PostgresServer) { Database = "postgres" }.ToString());
            await connection.OpenAsync();
            await using var names = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = ANY(@names)", connection);
            await using var session = await env.SessionDbAsync();
            names.Parameters.AddWithValue("names", await session.Schools.Select(s => s.DatabaseName!).ToArrayAsync());
            Assert.Equal((long)HostileSchools.Length, await names.ExecuteScalarAsync());
        }
    }

    [Theory]
    [InlineData("Data Source=../escaped.db")]
    [InlineData("Data Source=schools/../../escaped.db")]
    public async Task A_stored_location_that_leaves_the_data_folder_is_refused_and_nothing_is_created(string connectionString)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 5, teachers: 1, schools: 1));
        await env.OnboardAsync();
        var school = await env.SchoolAsync(env.District.Schools[0].Id);
        await env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(school.KeyVaultConnectionStringSecretName!, connectionString, CancellationToken.None);

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("points outside the data folder", result.Entities[0].Error);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(env.DataDir)!, "escaped.db")));
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("school_x;DROP")]
    [InlineData("School_Upper")]
    public async Task A_school_row_whose_database_name_is_not_safe_is_not_provisioned(string databaseName)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 5, teachers: 1, schools: 1));
        var school = new School
        {
            CleverSchoolId = "s1", DistrictId = "d1", Name = "Crafted", DatabaseName = databaseName,
            KeyVaultConnectionStringSecretName = "CleverSyncSOS--School-crafted-ConnectionString",
        };

        var refused = await Assert.ThrowsAsync<InvalidIdentifierException>(() =>
            env.Services.GetRequiredService<SchoolDatabases>().ProvisionAsync(school, CancellationToken.None));

        Assert.Contains("is not 1–100 lowercase letters, digits or underscores", refused.Message);
        Assert.DoesNotContain(Directory.GetFiles(env.DataDir, "*.db", SearchOption.AllDirectories), f => !f.EndsWith("session.db"));
    }

    [Fact]
    public async Task A_job_for_one_school_reads_only_its_own_secret_and_leaves_a_lookalike_schools_database_alone()
    {
        // Same display name, ids differing only in case: the names a careless rule would have merged.
        await using var clever = await CraftedClever.StartAsync(("65e0000000000000000000aa", "Lincoln Elementary", 6), ("65E0000000000000000000AA", "Lincoln Elementary", 4));
        var reads = new ConcurrentQueue<string>();
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 1, teachers: 1, schools: 1), settings =>
        {
            settings["CleverSyncSOS:CleverAuth:TokenEndpoint"] = clever.TokenEndpoint.ToString();
            settings["CleverSyncSOS:CleverApi:BaseUrl"] = clever.ApiBaseUrl.ToString();
            settings["CleverSyncSOS:Sync:UseEvents"] = "false";
        }, services: s => s.Replace(ServiceDescriptor.Singleton<ISecretStore>(sp => new RecordingSecretStore(
            new LocalSecretStore(sp.GetRequiredService<DataDirectory>().SecretsFile, sp.GetRequiredService<ILogger<LocalSecretStore>>()), reads))));
        await CraftedCleverEnvironment.OnboardDistrictAsync(env);
        await CraftedCleverEnvironment.AddSchoolAsync(env, "65e0000000000000000000aa", "Lincoln Elementary");
        await CraftedCleverEnvironment.AddSchoolAsync(env, "65E0000000000000000000AA", "Lincoln Elementary");
        Assert.Single(await env.SyncAsync(new SyncRequest("65E0000000000000000000AA")));
        var lower = await env.SchoolAsync("65e0000000000000000000aa");
        var upper = await env.SchoolAsync("65E0000000000000000000AA");
        SqliteConnection.ClearAllPools();
        var lowerFile = Path.Combine(env.DataDir, "schools", lower.DatabaseName + ".db");
        var lowerBytes = await File.ReadAllBytesAsync(lowerFile);
        reads.Clear();

        var result = Assert.Single(await env.SyncAsync(new SyncRequest("65E0000000000000000000AA", ForceFull: true)));

        Assert.Equal(SyncStatus.Success, result.Status);
        var prefix = SecretNames.DefaultDistrictPrefix(CraftedClever.DistrictId);
        // Its own connection string, and the district's credentials if the token had to be fetched again: nothing else.
        Assert.Contains(upper.KeyVaultConnectionStringSecretName!, reads);
        Assert.Subset(new HashSet<string> { upper.KeyVaultConnectionStringSecretName!, SecretNames.DistrictClientId(prefix), SecretNames.DistrictClientSecret(prefix) },
            reads.ToHashSet());
        Assert.NotEqual(lower.KeyVaultConnectionStringSecretName, upper.KeyVaultConnectionStringSecretName);
        SqliteConnection.ClearAllPools();
        Assert.Equal(lowerBytes, await File.ReadAllBytesAsync(lowerFile));
        Assert.Empty(await env.StudentsAsync("65e0000000000000000000aa"));
        Assert.Equal(clever.StudentIds("65E0000000000000000000AA"), (await env.StudentsAsync("65E0000000000000000000AA")).Select(s => s.CleverStudentId));
    }

    /// <summary>The real store, with every name read recorded.</summary>
    private sealed class RecordingSecretStore(ISecretStore inner, ConcurrentQueue<string> reads) : ISecretStore
    {
        public Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
        {
            reads.Enqueue(name);
            return inner.GetSecretAsync(name, cancellationToken);
        }

        public Task SetSecretAsync(string name, string value, CancellationToken cancellationToken) => inner.SetSecretAsync(name, value, cancellationToken);
    }
}
