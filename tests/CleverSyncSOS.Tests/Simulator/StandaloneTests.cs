using System.Net;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Tests.Simulator;

public sealed class StandaloneTests
{
    [Fact]
    public async Task RunAsync_prints_endpoints_and_credentials_and_stops_when_cancelled()
    {
        var options = new SimulatorOptions { Districts = 2, SchoolsPerDistrict = 1, StudentsPerSchool = 5, TeachersPerSchool = 1 }.Kinder();
        var expected = new SimulatorStore(options).Districts; // same seed, same credentials
        using var output = new StringWriter();
        using var cts = new CancellationTokenSource();

        var run = CleverSimulator.RunAsync(options, 0, output, cts.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!output.ToString().Contains(expected[1].ClientSecret, StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(20);
        var text = output.ToString();
        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("http://127.0.0.1:", text);
        Assert.Contains("oauth/tokens", text);
        Assert.Contains("v3.0/", text);
        foreach (var district in expected)
        {
            Assert.Contains(district.Id, text);
            Assert.Contains(district.ClientId, text);
            Assert.Contains(district.ClientSecret, text);
        }
    }

    [Fact]
    public async Task The_simulator_listens_on_loopback_only_and_stops_serving_after_dispose()
    {
        var sim = await CleverSimulator.StartAsync(new SimulatorOptions { SchoolsPerDistrict = 1, StudentsPerSchool = 1 }.Kinder());
        Assert.Equal("127.0.0.1", sim.BaseUrl.Host);
        Assert.Equal(new Uri(sim.BaseUrl, "oauth/tokens"), sim.TokenEndpoint);
        Assert.Equal(new Uri(sim.BaseUrl, "v3.0/"), sim.ApiBaseUrl);
        using var http = SimulatorHttp.Client(sim, TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SimulatorHttp.GetAsync(http, "v3.0/users", null)).Status);

        await sim.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => SimulatorHttp.GetAsync(http, "v3.0/users", null));
    }
}
