using System.Net;
using System.Text.Json.Nodes;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Tests.Simulator;

public sealed class AdminClientTests : IAsyncLifetime
{
    private CleverSimulator _sim = null!;
    private HttpClient _http = null!;
    private SimulatorAdminClient _admin = null!;

    public async Task InitializeAsync()
    {
        _sim = await CleverSimulator.StartAsync(new SimulatorOptions { SchoolsPerDistrict = 2, StudentsPerSchool = 30, TeachersPerSchool = 3 }.Kinder());
        _http = SimulatorHttp.Client(_sim);
        _admin = new SimulatorAdminClient(_http);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task Districts_endpoint_reports_ids_names_credentials_and_schools()
    {
        var districts = await _admin.GetDistrictsAsync();

        var district = Assert.Single(districts);
        Assert.Equal(_sim.Districts[0].Id, district.Id);
        Assert.Equal(_sim.Districts[0].ClientSecret, district.ClientSecret);
        Assert.Equal(_sim.Districts[0].Schools, district.Schools);
    }

    [Fact]
    public async Task Users_can_be_added_patched_and_deleted_over_http()
    {
        var school = _sim.Districts[0].Schools[0].Id;
        var id = await _admin.AddUserAsync(new JsonObject
        {
            ["name"] = new JsonObject { ["first"] = "Ada", ["last"] = "Lovelace" },
            ["roles"] = new JsonObject { ["teacher"] = new JsonObject { ["school"] = school, ["schools"] = new JsonArray(school) } },
        });
        Assert.Contains(id, _sim.Store.GetUserIds(school, "teacher"));

        Assert.True(await _admin.UpdateUserAsync(id, new JsonObject { ["name"] = new JsonObject { ["last"] = "King" } }));
        Assert.Equal("King", _sim.Store.GetUser(id)!["name"]!["last"]!.GetValue<string>());
        Assert.Equal("Ada", _sim.Store.GetUser(id)!["name"]!["first"]!.GetValue<string>());

        Assert.True(await _admin.RemoveUserAsync(id));
        Assert.Null(_sim.Store.GetUser(id));
        Assert.False(await _admin.RemoveUserAsync(id));
        Assert.Equal(3, _sim.Store.EventCount);
    }

    [Fact]
    public async Task Changes_and_keep_fraction_run_through_the_admin_api()
    {
        var school = _sim.Districts[0].Schools[0].Id;

        var changes = await _admin.ApplyRandomChangesAsync(school, adds: 2, edits: 3, removes: 1, seed: 5);
        var removed = await _admin.KeepOnlyFractionAsync(school, "teacher", 0.0, withEvents: true);

        Assert.Equal((2, 3, 1), (changes.Added.Count, changes.Updated.Count, changes.Removed.Count));
        Assert.True(removed >= 1);
        Assert.Empty(_sim.Store.GetUserIds(school, "teacher"));
    }

    [Fact]
    public async Task Tokens_credentials_and_events_are_controllable()
    {
        var district = _sim.Districts[0];
        var token = await SimulatorHttp.GetTokenAsync(_http, district);
        _sim.Store.AddStudent(district.Schools[0].Id);

        await _admin.RevokeTokensAsync(district.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SimulatorHttp.GetAsync(_http, "v3.0/users", token)).Status);

        var secret = await _admin.RotateCredentialsAsync(district.Id);
        Assert.Equal(secret, _sim.Districts[0].ClientSecret);

        await _admin.ExpireEventsAsync();
        Assert.Equal(0, _sim.Store.EventCount);
    }

    [Fact]
    public async Task Faults_rate_limit_latency_and_stats_are_settable_over_http()
    {
        var token = await SimulatorHttp.GetTokenAsync(_http, _sim.Districts[0]);

        await _admin.AddFaultAsync(new FaultRule { Target = FaultTarget.Api, StatusCode = 503, Count = 1 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SimulatorHttp.GetAsync(_http, "v3.0/users", token)).Status);
        await _admin.AddFaultAsync(new FaultRule { StatusCode = 500 });
        await _admin.ClearFaultsAsync();
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(_http, "v3.0/users", token)).Status);

        await _admin.SetRateLimitAsync(77);
        await _admin.SetLatencyAsync(5);
        Assert.Equal(77, _sim.Faults.RateLimitPerMinute);
        Assert.Equal(5, _sim.Faults.LatencyMilliseconds);

        var stats = await _admin.GetStatsAsync();
        Assert.Equal(1, stats.TokenRequests);
        Assert.Equal(2, stats.DataRequests);
        Assert.Equal(_sim.DataRequestCount, stats.DataRequests);
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_bad_bodies_400()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => _admin.AddStudentAsync("65e000000000000000000000"));
        Assert.False(await _admin.UpdateUserAsync("65f000000000000000000000", new JsonObject()));
        await Assert.ThrowsAsync<HttpRequestException>(() => _admin.KeepOnlyFractionAsync(_sim.Districts[0].Schools[0].Id, "student", 2.0, false));
    }
}
