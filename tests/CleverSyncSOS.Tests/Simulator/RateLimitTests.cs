using System.Net;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Tests.Simulator;

public sealed class RateLimitTests
{
    private static SimulatorOptions Small(int perMinute = 1200) => new SimulatorOptions { Districts = 2, SchoolsPerDistrict = 1, StudentsPerSchool = 5, TeachersPerSchool = 1, RateLimitPerMinute = perMinute }.Kinder();

    [Fact]
    public async Task Every_data_response_carries_clevers_rate_limit_headers()
    {
        await using var sim = await CleverSimulator.StartAsync(Small());
        using var http = SimulatorHttp.Client(sim);
        var token = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);

        var ok = await SimulatorHttp.GetAsync(http, "v3.0/users", token);
        var notFound = await SimulatorHttp.GetAsync(http, "v3.0/users/000000000000000000000000", token);

        foreach (var response in new[] { ok, notFound })
        {
            Assert.Equal("bearer", response.Header("X-Ratelimit-Bucket"));
            Assert.Equal("1200", response.Header("X-Ratelimit-Limit"));
            var reset = long.Parse(response.Header("X-Ratelimit-Reset")!);
            Assert.InRange(reset - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, 61);
        }
        Assert.Equal("1199", ok.Header("X-Ratelimit-Remaining"));
        Assert.Equal("1198", notFound.Header("X-Ratelimit-Remaining"));
    }

    [Fact]
    public async Task Over_the_limit_is_429_plain_text_with_headers_and_no_retry_after()
    {
        await using var sim = await CleverSimulator.StartAsync(Small(perMinute: 5));
        using var http = SimulatorHttp.Client(sim);
        var token = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);

        var remaining = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            var response = await SimulatorHttp.GetAsync(http, "v3.0/schools", token);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            remaining.Add(response.Header("X-Ratelimit-Remaining"));
        }
        var limited = await SimulatorHttp.GetAsync(http, "v3.0/schools", token);

        Assert.Equal(["4", "3", "2", "1", "0"], remaining);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.StartsWith("text/plain", limited.ContentType);
        Assert.Equal("Too Many Requests", limited.Body);
        Assert.Equal("0", limited.Header("X-Ratelimit-Remaining"));
        Assert.Equal("5", limited.Header("X-Ratelimit-Limit"));
        Assert.NotNull(limited.Header("X-Ratelimit-Reset"));
        Assert.False(limited.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task The_limit_is_per_token()
    {
        await using var sim = await CleverSimulator.StartAsync(Small(perMinute: 2));
        using var http = SimulatorHttp.Client(sim);
        var first = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);
        var second = await SimulatorHttp.GetTokenAsync(http, sim.Districts[1]);

        for (var i = 0; i < 3; i++) await SimulatorHttp.GetAsync(http, "v3.0/schools", first);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SimulatorHttp.GetAsync(http, "v3.0/schools", first)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(http, "v3.0/schools", second)).Status);
    }

    [Fact]
    public async Task The_limit_can_be_changed_while_running()
    {
        await using var sim = await CleverSimulator.StartAsync(Small());
        using var http = SimulatorHttp.Client(sim);
        var token = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);

        sim.Faults.RateLimitPerMinute = 1;
        sim.Faults.ResetRateLimitWindows();

        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(http, "v3.0/schools", token)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SimulatorHttp.GetAsync(http, "v3.0/schools", token)).Status);
    }
}
