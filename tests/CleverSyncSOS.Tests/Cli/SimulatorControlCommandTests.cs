using CleverSyncSOS.Host.Commands;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Tests.Infrastructure;

namespace CleverSyncSOS.Tests.Cli;

public sealed class SimulatorControlCommandTests
{
    [Fact]
    public async Task Fault_and_revoke_commands_change_a_running_simulator()
    {
        await using var simulator = await CleverSimulator.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        var district = simulator.Districts[0];
        using var reader = new CleverHttpReader(simulator.BaseUrl, district.ClientId, district.ClientSecret, district.Id);
        var url = simulator.BaseUrl.ToString();

        Assert.Equal(0, await Run("simulator", "fault", "--url", url, "--target", "Token", "--status", "503", "--count", "1"));
        var failed = await Assert.ThrowsAsync<HttpRequestException>(reader.GetTokenAsync);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        var token = await reader.GetTokenAsync();

        Assert.Equal(0, await Run("simulator", "revoke", "--url", url, "--district", district.Id));
        Assert.NotEqual(token, await reader.GetTokenAsync());

        Assert.Equal(1, await Run("simulator", "revoke", "--url", url, "--district", "no-such-district"));
    }

    private static Task<int> Run(params string[] args) => CleverSyncCommandLine.Build().Parse(args).InvokeAsync();
}
