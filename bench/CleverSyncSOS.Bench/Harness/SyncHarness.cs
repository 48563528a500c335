using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Onboarding;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>Settings of one <see cref="SyncHarness"/>.</summary>
public sealed record HarnessSettings(
    string SimulatorUrl,
    string WorkDirectory,
    DatabaseProvider Provider,
    string? PostgresServer,
    string? PostgresPrefix,
    int PageSize = 10_000,
    Action<IServiceCollection>? Services = null,
    bool SyncSections = false,
    bool ChangeLog = true);

/// <summary>
/// The real service, wired through its own composition root (<c>AddCleverSyncCore</c>) with production defaults,
/// against a simulator over HTTP and fresh databases: SQLite files in a new folder, or PostgreSQL databases
/// whose names start with a unique prefix. Disposing it deletes the folder and drops those databases.
/// </summary>
public sealed class SyncHarness : IAsyncDisposable
{
    private static int _instances;
    private readonly HttpClient _adminHttp;
    private readonly string _dataDirectory;
    private readonly HarnessSettings _settings;
    private readonly string? _postgresPrefix;

    private SyncHarness(HarnessSettings settings, HttpClient adminHttp, SimulatorAdminClient admin, SimulatedDistrict district)
    {
        _settings = settings;
        _adminHttp = adminHttp;
        Admin = admin;
        District = district;
        var n = Interlocked.Increment(ref _instances);
        _dataDirectory = Path.Combine(settings.WorkDirectory, $"h{n}");
        _postgresPrefix = settings.Provider == DatabaseProvider.PostgreSql
            ? (settings.PostgresPrefix ?? throw new InvalidOperationException("A PostgreSQL harness needs a database name prefix.")) + $"h{n}_"
            : null;
    }

    public SimulatorAdminClient Admin { get; }
    public SimulatedDistrict District { get; }
    public ServiceProvider Services { get; private set; } = null!;
    public DatabaseProvider Provider => _settings.Provider;

    public DistrictCredentials Credentials =>
        new(District.Id, SecretNames.DistrictCredentials(SecretNames.DefaultDistrictPrefix(District.Id), null));

    public static async Task<SyncHarness> StartAsync(HarnessSettings settings, CancellationToken cancellationToken)
    {
        var http = new HttpClient();
        var admin = new SimulatorAdminClient(http, new Uri(settings.SimulatorUrl));
        var district = (await admin.GetDistrictsAsync(cancellationToken))[0];
        var harness = new SyncHarness(settings, http, admin, district);
        try
        {
            await harness.InitializeAsync(cancellationToken);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // Owner-only, as the service keeps its data folder; otherwise every harness logs that it tightened the mode.
        PrivateFiles.Folder(_dataDirectory, NullLogger.Instance);

        var simulator = new Uri(_settings.SimulatorUrl);
        var settings = new Dictionary<string, string?>
        {
            [DataDirectory.ConfigurationKey] = _dataDirectory,
            [$"{CleverAuthConfiguration.SectionName}:TokenEndpoint"] = new Uri(simulator, "oauth/tokens").ToString(),
            [$"{CleverApiOptions.SectionName}:BaseUrl"] = new Uri(simulator, "v3.0/").ToString(),
            [$"{CleverApiOptions.SectionName}:PageSize"] = _settings.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{SyncOptions.SectionName}:{nameof(SyncOptions.SyncSections)}"] = _settings.SyncSections.ToString(),
            [$"{SyncOptions.SectionName}:{nameof(SyncOptions.ChangeLog)}"] = _settings.ChangeLog.ToString(),
        };
        if (_postgresPrefix is { } prefix)
        {
            var server = _settings.PostgresServer!;
            settings[$"{DatabaseOptions.SectionName}:SessionDbProvider"] = nameof(DatabaseProvider.PostgreSql);
            settings[$"{DatabaseOptions.SectionName}:SessionDbConnectionString"] =
                new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = prefix + "session" }.ToString();
            settings[$"{DatabaseOptions.SectionName}:SchoolDbProvider"] = nameof(DatabaseProvider.PostgreSql);
            settings[$"{DatabaseOptions.SectionName}:SchoolDbServerConnectionString"] = server;
            settings[$"{DatabaseOptions.SectionName}:SchoolDatabaseNamePrefix"] = prefix;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        // Warnings and errors only (skipped records, mass-deletion guard, failures), on stderr: the parent shows them.
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddCleverSyncCore(configuration);
        _settings.Services?.Invoke(services);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await Services.GetRequiredService<SessionDatabase>().MigrateAsync(cancellationToken);
    }

    /// <summary>Stores the district's credentials and onboards it with the given schools (all when null), as an operator would.</summary>
    public async Task OnboardAsync(IEnumerable<string>? schoolIds, CancellationToken cancellationToken)
    {
        var secrets = Services.GetRequiredService<ISecretStore>();
        var prefix = SecretNames.DefaultDistrictPrefix(District.Id);
        await secrets.SetSecretAsync(SecretNames.DistrictClientId(prefix), District.ClientId, cancellationToken);
        await secrets.SetSecretAsync(SecretNames.DistrictClientSecret(prefix), District.ClientSecret, cancellationToken);
        await using var scope = Services.CreateAsyncScope();
        var onboarding = scope.ServiceProvider.GetRequiredService<OnboardingService>();
        await onboarding.AddDistrictAsync(District.Id, District.Name, prefix, cancellationToken);
        var wanted = schoolIds?.ToHashSet(StringComparer.Ordinal);
        foreach (var school in District.Schools.Where(s => wanted is null || wanted.Contains(s.Id)))
        {
            await onboarding.AddSchoolAsync(District.Id, school.Id, school.Name, cancellationToken);
        }
    }

    public Task<IReadOnlyList<SchoolSyncResult>> SyncAsync(string? cleverSchoolId, CancellationToken cancellationToken) =>
        Services.GetRequiredService<SyncOrchestrator>().RunAsync(new SyncRequest(cleverSchoolId), null, cancellationToken);

    public async Task<School> SchoolAsync(string cleverSchoolId, CancellationToken cancellationToken)
    {
        await using var db = await Services.GetRequiredService<SessionDatabase>().CreateDbContextAsync(cancellationToken);
        return await db.Schools.AsNoTracking().SingleAsync(s => s.CleverSchoolId == cleverSchoolId, cancellationToken);
    }

    /// <summary>The school database's connection string, as the service stored it in its secret store.</summary>
    public async Task<string> SchoolConnectionStringAsync(string cleverSchoolId, CancellationToken cancellationToken)
    {
        var school = await SchoolAsync(cleverSchoolId, cancellationToken);
        return await Services.GetRequiredService<SchoolDatabases>().ConnectionStringAsync(school, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Services is not null)
        {
            await Services.DisposeAsync();
        }

        _adminHttp.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The worker's whole folder is deleted at its end anyway.
        }

        if (_postgresPrefix is { } prefix)
        {
            await PostgresDatabases.DropAsync(_settings.PostgresServer!, prefix, CancellationToken.None);
        }
    }
}
