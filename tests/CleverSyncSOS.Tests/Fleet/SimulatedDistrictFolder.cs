using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Tests.Infrastructure;

namespace CleverSyncSOS.Tests.Fleet;

/// <summary>
/// A fresh data folder and a simulated district of 3 small schools, with the settings that point the
/// <c>cleversync</c> executable at both: what the CLI tests of this folder start from.
/// </summary>
public abstract class SimulatedDistrictFolder : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private CleverSimulator _simulator = null!;

    protected string DataDir => _folder.Path;

    protected SimulatedDistrict District => _simulator.Districts[0];

    /// <summary>The district's real credentials as two lines of stdin, as a script gives them to <c>district add</c>.</summary>
    protected string CredentialsOnStdin => $"{District.ClientId}\n{District.ClientSecret}\n";

    protected Dictionary<string, string?> Settings => new()
    {
        [DataDirectory.ConfigurationKey] = _folder.Path,
        [$"{CleverAuthConfiguration.SectionName}:TokenEndpoint"] = _simulator.TokenEndpoint.ToString(),
        [$"{CleverApiOptions.SectionName}:BaseUrl"] = _simulator.ApiBaseUrl.ToString(),
        [$"{CleverAuthConfiguration.SectionName}:RetryPolicy:MaxRetries"] = "1",
        [$"{CleverAuthConfiguration.SectionName}:RetryPolicy:BaseDelaySeconds"] = "0.01",
    };

    public async Task InitializeAsync() =>
        _simulator = await CleverSimulator.StartAsync(SyncTestEnvironment.SmallDistrict(students: 20, teachers: 3, schools: 3));

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        _folder.Dispose();
    }
}
