using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Onboarding;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Tests.Infrastructure;

/// <summary>
/// The real service wired through its own composition root, against the simulator on 127.0.0.1 and real
/// SQLite files (or a real PostgreSQL server) in a fresh folder.
/// </summary>
public sealed class SyncTestEnvironment : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    private readonly string? _postgresPrefix;

    private SyncTestEnvironment(CleverSimulator simulator, DatabaseProvider provider)
    {
        Simulator = simulator;
        Provider = provider;
        _postgresPrefix = provider == DatabaseProvider.PostgreSql ? $"cst_{Guid.NewGuid():N}"[..16] + "_" : null;
    }

    public DatabaseProvider Provider { get; }

    public CleverSimulator Simulator { get; }
    public ServiceProvider Services { get; private set; } = null!;
    public string DataDir => _directory.Path;
    public SimulatedDistrict District => Simulator.Districts[0];
    public TestLoggerProvider Logs { get; } = new();

    /// <summary>Between the service and the simulator when started <c>behindProxy</c>: set its Rewrite to misbehave.</summary>
    public HostileCleverProxy? Proxy { get; private set; }

    /// <summary>The configuration the environment runs with, for processes started against the same databases.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; private set; } = new Dictionary<string, string?>();

    public static async Task<SyncTestEnvironment> StartAsync(SimulatorOptions? simulator = null, Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? services = null, DatabaseProvider provider = DatabaseProvider.Sqlite, bool behindProxy = false)
    {
        simulator ??= SmallDistrict();
        var env = new SyncTestEnvironment(await CleverSimulator.StartAsync(simulator), provider);
        env.Proxy = behindProxy ? await HostileCleverProxy.StartAsync(env.Simulator.BaseUrl) : null;
        var settings = new Dictionary<string, string?>
        {
            [DataDirectory.ConfigurationKey] = env.DataDir,
            [$"{CleverAuthConfiguration.SectionName}:TokenEndpoint"] = (env.Proxy?.TokenEndpoint ?? env.Simulator.TokenEndpoint).ToString(),
            [$"{CleverApiOptions.SectionName}:BaseUrl"] = (env.Proxy?.ApiBaseUrl ?? env.Simulator.ApiBaseUrl).ToString(),
            [$"{CleverAuthConfiguration.SectionName}:RetryPolicy:MaxRetries"] = "2",
            [$"{CleverAuthConfiguration.SectionName}:RetryPolicy:BaseDelaySeconds"] = "0.01",
            [$"{CleverApiOptions.SectionName}:PageSize"] = "100",
            // The client knows Clever's window; tests shorten it on both sides.
            [$"{CleverApiOptions.SectionName}:RateLimitWindowSeconds"] = simulator.RateLimitWindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (env._postgresPrefix is { } prefix)
        {
            var server = TestDatabases.PostgresServer!;
            settings[$"{DatabaseOptions.SectionName}:SessionDbProvider"] = nameof(DatabaseProvider.PostgreSql);
            settings[$"{DatabaseOptions.SectionName}:SessionDbConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = prefix + "session" }.ToString();
            settings[$"{DatabaseOptions.SectionName}:SchoolDbProvider"] = nameof(DatabaseProvider.PostgreSql);
            settings[$"{DatabaseOptions.SectionName}:SchoolDbServerConnectionString"] = server;
            settings[$"{DatabaseOptions.SectionName}:SchoolDatabaseNamePrefix"] = prefix;
        }

        configure?.Invoke(settings);
        env.Settings = settings;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.AddProvider(env.Logs).SetMinimumLevel(LogLevel.Trace));
        collection.AddCleverSyncCore(configuration);
        services?.Invoke(collection);
        env.Services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await env.Services.GetRequiredService<SessionDatabase>().MigrateAsync(CancellationToken.None);
        return env;
    }

    public static SimulatorOptions SmallDistrict(int students = 120, int teachers = 12, int schools = 3) => new()
    {
        Seed = 7,
        SchoolsPerDistrict = schools,
        StudentsPerSchool = students,
        TeachersPerSchool = teachers,
    };

    /// <summary>Stores the district's credentials and onboards it with every school (or <paramref name="schools"/>), as an operator would.</summary>
    public async Task OnboardAsync(string? clientSecret = null, SimulatedDistrict? district = null, IEnumerable<SimulatedSchool>? schools = null)
    {
        district ??= District;
        var secrets = Services.GetRequiredService<ISecretStore>();
        var prefix = SecretNames.DefaultDistrictPrefix(district.Id);
        await secrets.SetSecretAsync(SecretNames.DistrictClientId(prefix), district.ClientId, CancellationToken.None);
        await secrets.SetSecretAsync(SecretNames.DistrictClientSecret(prefix), clientSecret ?? district.ClientSecret, CancellationToken.None);
        await using var scope = Services.CreateAsyncScope();
        var onboarding = scope.ServiceProvider.GetRequiredService<OnboardingService>();
        await onboarding.AddDistrictAsync(district.Id, district.Name, prefix, CancellationToken.None);
        foreach (var school in schools ?? district.Schools)
        {
            await onboarding.AddSchoolAsync(district.Id, school.Id, school.Name, CancellationToken.None);
        }
    }

    /// <summary>Onboards one more school of an onboarded district.</summary>
    public async Task AddSchoolAsync(SimulatedSchool school, SimulatedDistrict? district = null)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OnboardingService>().AddSchoolAsync((district ?? District).Id, school.Id, school.Name, CancellationToken.None);
    }

    public Task<IReadOnlyList<SchoolSyncResult>> SyncAsync(SyncRequest? request = null, CancellationToken cancellationToken = default) =>
        Services.GetRequiredService<SyncOrchestrator>().RunAsync(request ?? new SyncRequest(), null, cancellationToken);

    public async Task<School> SchoolAsync(string cleverSchoolId)
    {
        await using var db = await SessionDbAsync();
        return await db.Schools.AsNoTracking().SingleAsync(s => s.CleverSchoolId == cleverSchoolId);
    }

    public async Task<SessionDbContext> SessionDbAsync() =>
        await Services.GetRequiredService<SessionDatabase>().CreateDbContextAsync(CancellationToken.None);

    public async Task<List<Student>> StudentsAsync(string cleverSchoolId)
    {
        await using var db = await Services.GetRequiredService<SchoolDatabases>().OpenAsync(await SchoolAsync(cleverSchoolId), CancellationToken.None);
        return await db.Students.AsNoTracking().OrderBy(s => s.CleverStudentId).ToListAsync();
    }

    public async Task<List<Teacher>> TeachersAsync(string cleverSchoolId)
    {
        await using var db = await Services.GetRequiredService<SchoolDatabases>().OpenAsync(await SchoolAsync(cleverSchoolId), CancellationToken.None);
        return await db.Teachers.AsNoTracking().OrderBy(s => s.CleverTeacherId).ToListAsync();
    }

    public async Task<List<SyncHistory>> HistoryAsync(string cleverSchoolId)
    {
        var school = await SchoolAsync(cleverSchoolId);
        await using var db = await SessionDbAsync();
        return await db.SyncHistory.AsNoTracking().Where(h => h.SchoolId == school.SchoolId).OrderBy(h => h.SyncId).ToListAsync();
    }

    public CleverHttpReader Reader(int pageSize = 100) => new(Simulator.BaseUrl, District.ClientId, Simulator.Districts[0].ClientSecret, District.Id, pageSize);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        await Simulator.DisposeAsync();
        _directory.Dispose();
        if (_postgresPrefix is { } prefix)
        {
            await TestDatabases.DropPostgresDatabasesAsync(prefix);
        }
    }
}
