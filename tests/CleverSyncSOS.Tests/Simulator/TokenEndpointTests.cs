using System.Net;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Tests.Simulator;

public sealed class TokenEndpointTests
{
    private static SimulatorOptions Small(int districts = 1) => new SimulatorOptions { Districts = districts, SchoolsPerDistrict = 1, StudentsPerSchool = 20, TeachersPerSchool = 2 }.Kinder();

    [Fact]
    public async Task Basic_credentials_list_the_districts_token_in_clevers_shape()
    {
        await using var sim = await CleverSimulator.StartAsync(Small());
        using var http = SimulatorHttp.Client(sim);
        var district = sim.Districts[0];

        var response = await SimulatorHttp.GetTokensAsync(http, district.ClientId, district.ClientSecret);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var json = response.Json;
        var token = Assert.Single(json.GetProperty("data").EnumerateArray());
        Assert.Matches("^[0-9a-f]{24}$", token.GetProperty("id").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", token.GetProperty("created").GetString());
        Assert.Equal("district", token.GetProperty("owner").GetProperty("type").GetString());
        Assert.Equal(district.Id, token.GetProperty("owner").GetProperty("id").GetString());
        Assert.Matches("^[0-9a-f]{40}$", token.GetProperty("access_token").GetString());
        Assert.Contains("read:students", token.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.False(token.TryGetProperty("expires_in", out _), "real Clever tokens carry no expiry");
        Assert.Equal("/oauth/tokens?owner_type=district", SimulatorHttp.Link(json, "self"));
        Assert.Equal(1, sim.TokenRequestCount);
    }

    [Fact]
    public async Task Without_a_lifetime_the_same_token_is_returned_every_time()
    {
        await using var sim = await CleverSimulator.StartAsync(Small());
        using var http = SimulatorHttp.Client(sim);

        var first = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);
        var second = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Wrong_secret_is_401_invalid_client()
    {
        await using var sim = await CleverSimulator.StartAsync(Small());
        using var http = SimulatorHttp.Client(sim);

        var response = await SimulatorHttp.GetTokensAsync(http, sim.Districts[0].ClientId, "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("invalid_client", response.Json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("error_description").GetString()));
    }

    [Fact]
    public async Task Missing_credentials_are_401_invalid_client()
    {
        await using var sim = await CleverSimulator.StartAsync(Small());
        using var http = SimulatorHttp.Client(sim);

        var response = await SimulatorHttp.GetAsync(http, "oauth/tokens?owner_type=district", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("invalid_client", response.Json.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?owner_type=user")]
    public async Task Missing_or_other_owner_type_is_400(string query)
    {
        await using var sim = await CleverSimulator.StartAsync(Small());
        using var http = SimulatorHttp.Client(sim);

        var response = await SimulatorHttp.GetTokensAsync(http, sim.Districts[0].ClientId, sim.Districts[0].ClientSecret, query);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.True(response.Json.TryGetProperty("error", out _));
        Assert.True(response.Json.TryGetProperty("error_description", out _));
    }

    [Fact]
    public async Task Each_district_has_its_own_credentials_and_district_filter_narrows_the_list()
    {
        await using var sim = await CleverSimulator.StartAsync(Small(districts: 2));
        using var http = SimulatorHttp.Client(sim);
        var (a, b) = (sim.Districts[0], sim.Districts[1]);
        Assert.NotEqual(a.ClientId, b.ClientId);
        Assert.NotEqual(a.ClientSecret, b.ClientSecret);

        var own = await SimulatorHttp.GetTokensAsync(http, a.ClientId, a.ClientSecret, $"?owner_type=district&district={a.Id}");
        var other = await SimulatorHttp.GetTokensAsync(http, a.ClientId, a.ClientSecret, $"?owner_type=district&district={b.Id}");
        var crossed = await SimulatorHttp.GetTokensAsync(http, a.ClientId, b.ClientSecret);

        Assert.Equal(a.Id, Assert.Single(own.Json.GetProperty("data").EnumerateArray()).GetProperty("owner").GetProperty("id").GetString());
        Assert.Empty(other.Json.GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, crossed.Status);
    }

    [Fact]
    public async Task Revoked_token_gets_401_and_the_next_token_request_mints_a_new_one()
    {
        await using var sim = await CleverSimulator.StartAsync(Small());
        using var http = SimulatorHttp.Client(sim);
        var district = sim.Districts[0];
        var old = await SimulatorHttp.GetTokenAsync(http, district);

        sim.Store.RevokeTokens(district.Id);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SimulatorHttp.GetAsync(http, "v3.0/schools", old)).Status);
        var fresh = await SimulatorHttp.GetTokenAsync(http, district);
        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(http, "v3.0/schools", fresh)).Status);
    }

    [Fact]
    public async Task Rotated_credentials_reject_the_old_secret_and_accept_the_new_one()
    {
        await using var sim = await CleverSimulator.StartAsync(Small());
        using var http = SimulatorHttp.Client(sim);
        var before = sim.Districts[0];

        var secret = sim.Store.RotateCredentials(before.Id);

        Assert.NotEqual(before.ClientSecret, secret);
        Assert.Equal(secret, sim.Districts[0].ClientSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SimulatorHttp.GetTokensAsync(http, before.ClientId, before.ClientSecret)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetTokensAsync(http, before.ClientId, secret)).Status);
    }
}
