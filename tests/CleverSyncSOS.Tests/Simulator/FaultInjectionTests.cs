using System.Net;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Tests.Simulator;

public sealed class FaultInjectionTests : IAsyncLifetime
{
    private CleverSimulator _sim = null!;
    private HttpClient _http = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _sim = await CleverSimulator.StartAsync(new SimulatorOptions { SchoolsPerDistrict = 1, StudentsPerSchool = 100, TeachersPerSchool = 1 }.Kinder());
        _http = SimulatorHttp.Client(_sim);
        _token = await SimulatorHttp.GetTokenAsync(_http, _sim.Districts[0]);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task A_status_fault_fails_only_the_seventh_page()
    {
        _sim.Faults.Add(new FaultRule { Target = FaultTarget.Api, PathContains = "/users", Skip = 6, Count = 1, StatusCode = 500 });

        var statuses = new List<HttpStatusCode>();
        string? next = "v3.0/users?limit=10";
        ApiResponse? failed = null;
        while (next is not null && statuses.Count < 20)
        {
            var response = await SimulatorHttp.GetAsync(_http, next, _token);
            statuses.Add(response.Status);
            if (response.Status != HttpStatusCode.OK)
            {
                failed = response;
                continue; // retry the same page
            }
            next = SimulatorHttp.Link(response.Json, "next");
        }

        Assert.Equal(HttpStatusCode.InternalServerError, statuses[6]);
        Assert.Equal(1, statuses.Count(s => s != HttpStatusCode.OK));
        Assert.Equal(12, statuses.Count); // 11 pages of 101 users + one retry
        Assert.False(string.IsNullOrEmpty(failed!.Json.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Requests_not_matching_the_path_are_not_counted_or_affected()
    {
        _sim.Faults.Add(new FaultRule { PathContains = "/events", StatusCode = 503 });

        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(_http, "v3.0/users", _token)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SimulatorHttp.GetAsync(_http, "v3.0/events", _token)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SimulatorHttp.GetAsync(_http, "v3.0/events", _token)).Status); // Count 0 = unlimited
    }

    [Fact]
    public async Task A_delay_fault_makes_the_client_time_out()
    {
        _sim.Faults.Add(new FaultRule { DelayMilliseconds = 10_000, Count = 1 });
        using var impatient = SimulatorHttp.Client(_sim, TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => SimulatorHttp.GetAsync(impatient, "v3.0/users", _token));

        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(_http, "v3.0/users", _token)).Status);
    }

    [Fact]
    public async Task A_delay_only_fault_still_answers_normally()
    {
        _sim.Faults.Add(new FaultRule { DelayMilliseconds = 5_000, Count = 1, PathContains = "/schools" });

        // Held back while a request sent after it is answered; then answered normally.
        var delayed = SimulatorHttp.GetAsync(_http, "v3.0/schools", _token);
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(_http, "v3.0/users", _token)).Status);
        Assert.False(delayed.IsCompleted, "the delayed request was answered before one sent after it");
        var response = await delayed;

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task A_drop_fault_aborts_the_connection()
    {
        _sim.Faults.Add(new FaultRule { DropConnection = true, Count = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => SimulatorHttp.GetAsync(_http, "v3.0/users", _token));

        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(_http, "v3.0/users", _token)).Status);
    }

    [Fact]
    public async Task A_token_fault_fails_the_token_endpoint_with_an_oauth_error()
    {
        _sim.Faults.Add(new FaultRule { Target = FaultTarget.Token, StatusCode = 503, Count = 1 });
        var district = _sim.Districts[0];
        var before = _sim.TokenRequestCount;

        var failed = await SimulatorHttp.GetTokensAsync(_http, district.ClientId, district.ClientSecret);
        var ok = await SimulatorHttp.GetTokensAsync(_http, district.ClientId, district.ClientSecret);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.Status);
        Assert.Equal("server_error", failed.Json.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(before + 2, _sim.TokenRequestCount);
    }

    [Fact]
    public async Task Content_type_and_body_overrides_serve_an_html_error_page()
    {
        _sim.Faults.Add(new FaultRule { StatusCode = 502, ContentType = "text/html", Body = "<html><body>Bad Gateway</body></html>", Count = 1 });

        var response = await SimulatorHttp.GetAsync(_http, "v3.0/users", _token);

        Assert.Equal(HttpStatusCode.BadGateway, response.Status);
        Assert.StartsWith("text/html", response.ContentType);
        Assert.Contains("Bad Gateway", response.Body);
    }

    [Fact]
    public async Task Clear_removes_all_faults()
    {
        _sim.Faults.Add(new FaultRule { StatusCode = 500 });
        Assert.Equal(HttpStatusCode.InternalServerError, (await SimulatorHttp.GetAsync(_http, "v3.0/users", _token)).Status);

        _sim.Faults.Clear();

        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(_http, "v3.0/users", _token)).Status);
    }

    [Fact]
    public async Task Latency_is_added_to_data_responses()
    {
        // Latency is for every data response: a client that waits less than it gives up, one that waits is answered.
        _sim.Faults.LatencyMilliseconds = 5_000;
        using var impatient = SimulatorHttp.Client(_sim, TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => SimulatorHttp.GetAsync(impatient, "v3.0/schools", _token));
        _sim.Faults.LatencyMilliseconds = 0;
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(_http, "v3.0/schools", _token)).Status);
    }
}
