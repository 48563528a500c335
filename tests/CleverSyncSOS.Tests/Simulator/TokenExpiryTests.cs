using System.Net;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Tests.Simulator;

public sealed class TokenExpiryTests
{
    [Fact]
    public async Task With_a_lifetime_tokens_carry_expires_in_and_stop_working_after_it()
    {
        var options = new SimulatorOptions { SchoolsPerDistrict = 1, StudentsPerSchool = 5, TeachersPerSchool = 1, TokenLifetimeSeconds = 1 }.Kinder();
        await using var sim = await CleverSimulator.StartAsync(options);
        using var http = SimulatorHttp.Client(sim);
        var district = sim.Districts[0];

        var listing = await SimulatorHttp.GetTokensAsync(http, district.ClientId, district.ClientSecret);
        var token = listing.Json.GetProperty("data")[0];
        Assert.Equal(1, token.GetProperty("expires_in").GetInt32());
        var accessToken = token.GetProperty("access_token").GetString();
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(http, "v3.0/districts", accessToken)).Status);

        await Task.Delay(1300);

        var expired = await SimulatorHttp.GetAsync(http, "v3.0/districts", accessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal("Unauthorized", expired.Json.GetProperty("message").GetString());
        var fresh = await SimulatorHttp.GetTokenAsync(http, district);
        Assert.NotEqual(accessToken, fresh);
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(http, "v3.0/districts", fresh)).Status);
    }

    [Fact]
    public async Task With_a_lifetime_every_request_mints_a_new_token_and_older_ones_stay_valid()
    {
        var options = new SimulatorOptions { SchoolsPerDistrict = 1, StudentsPerSchool = 5, TeachersPerSchool = 1, TokenLifetimeSeconds = 60 }.Kinder();
        await using var sim = await CleverSimulator.StartAsync(options);
        using var http = SimulatorHttp.Client(sim);

        var first = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);
        var second = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);

        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(http, "v3.0/districts", first)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(http, "v3.0/districts", second)).Status);
    }
}
