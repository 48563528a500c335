using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Reliability.Tests.Harness;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using Xunit.Abstractions;

namespace CleverSyncSOS.Reliability.Tests;

/// <summary>Issue 8 §1 through the simulator's own fault injection: what Clever may do on a bad day.</summary>
[Collection(InProcessCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class CleverFaultCases(ITestOutputHelper output)
{
    private static readonly CaseSetup Default = new();

    /// <summary>Fast retries, one-second timeouts: waiting is not what these cases test.</summary>
    private static readonly CaseSetup ShortTimeouts = new()
    {
        Settings = s =>
        {
            s["CleverSyncSOS:CleverApi:RequestTimeoutSeconds"] = "1";
            s["CleverSyncSOS:CleverAuth:RequestTimeoutSeconds"] = "1";
        },
    };

    private Task Case(string name, string injected, string expected, CaseSetup setup, Func<FaultCase, Task<string>> body) =>
        FaultCase.RunAsync(output, new CaseRow(name, injected, expected), setup, body);

    /// <summary>Forgets the district's token so the next data call fetches a new one (the token cases' way in).</summary>
    private static void RevokeToken(FaultCase run) => run.Simulator.Store.RevokeTokens(run.Env.District.Id);

    [Fact]
    public Task Token_endpoint_down_fails_the_run_and_changes_nothing() =>
        Case("token endpoint down", "token endpoint drops every connection after the token is revoked", "Failed, nothing deleted", Default, async run =>
        {
            RevokeToken(run);
            run.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Token, DropConnection = true });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Failed, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task Token_endpoint_slower_than_the_timeout_fails_the_run_and_it_ends() =>
        Case("token endpoint slow", "token answers after 3 s, client timeout 1 s", "Failed (timed out), run ends", ShortTimeouts, async run =>
        {
            RevokeToken(run);
            run.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Token, DelayMilliseconds = 3000 });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Failed, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task A_burst_of_token_429s_is_waited_out() =>
        Case("token endpoint 429 burst", "2 token answers 429 with X-Ratelimit-Reset", "retried, Success", Default, async run =>
        {
            RevokeToken(run);
            run.Simulator.Faults.Add(new FaultRule
            {
                Target = FaultTarget.Token, StatusCode = 429, Count = 2,
                Headers = new() { ["X-Ratelimit-Reset"] = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task A_burst_of_token_5xx_is_retried() =>
        Case("token endpoint 5xx burst", "2 token answers 500 then 503", "retried, Success", Default, async run =>
        {
            RevokeToken(run);
            run.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Token, StatusCode = 500, Count = 1 });
            run.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Token, StatusCode = 503, Skip = 1, Count = 1 });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task Token_5xx_that_never_ends_fails_the_run_and_changes_nothing() =>
        Case("token endpoint 5xx for good", "every token request answers 502", "Failed, nothing deleted", Default, async run =>
        {
            RevokeToken(run);
            run.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Token, StatusCode = 502 });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Failed, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task A_429_storm_with_Clevers_headers_is_waited_out() =>
        Case("data API 429 storm", "rate limit 8 requests per 1 s window, X-Ratelimit-Bucket/Limit/Remaining/Reset headers", "waits for each window, Success",
            Default with { Simulator = o => (o.RateLimitWindowSeconds, o.RateLimitHeaders) = (1, RateLimitHeaderStyle.SeveralBuckets) }, async run =>
            {
                run.Simulator.Faults.RateLimitPerMinute = 8;
                var limitedBefore = run.Simulator.RateLimitedCount;
                var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
                Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
                return $"{FaultCase.Describe(results)} ({run.Simulator.RateLimitedCount - limitedBefore} answers were 429)";
            });

    [Fact]
    public Task A_run_of_5xx_answers_is_retried() =>
        Case("data API 5xx run", "2 consecutive 500s on student pages", "retried, Success", Default, async run =>
        {
            run.Simulator.Faults.Add(new FaultRule { PathContains = "role=student", StatusCode = 500, Skip = 1, Count = 2 });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
            return FaultCase.Describe(results);
        });

    [Theory]
    [MemberData(nameof(CleverSyncSOS.Tests.Infrastructure.TestDatabases.Providers), MemberType = typeof(CleverSyncSOS.Tests.Infrastructure.TestDatabases))]
    public Task A_school_whose_pages_always_fail_fails_alone(CleverSyncSOS.Persistence.DatabaseProvider provider) =>
        Case($"data API 5xx for good at one school ({provider})", "every request for school 1's users answers 503", "that school Failed and unchanged, school 2 Success",
            Default with { Provider = provider }, async run =>
            {
                run.Simulator.Faults.Add(new FaultRule { PathContains = $"schools/{run.SchoolIds[0]}/users", StatusCode = 503 });
                var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
                Assert.Equal(SyncStatus.Failed, results.Single(r => r.CleverSchoolId == run.SchoolIds[0]).Status);
                Assert.Equal(SyncStatus.Success, results.Single(r => r.CleverSchoolId == run.SchoolIds[1]).Status);
                return FaultCase.Describe(results);
            });

    [Fact]
    public Task One_request_slower_than_the_timeout_is_retried() =>
        Case("data API timeout once", "one student page answers after 3 s, client timeout 1 s", "timed out, retried, Success", ShortTimeouts, async run =>
        {
            run.Simulator.Faults.Add(new FaultRule { PathContains = "role=student", DelayMilliseconds = 3000, Skip = 1, Count = 1 });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task Requests_that_always_time_out_fail_the_run_and_it_ends() =>
        Case("data API timeouts for good", "every student page answers after 3 s, client timeout 1 s", "Failed, run ends, nothing deleted", ShortTimeouts, async run =>
        {
            run.Simulator.Faults.Add(new FaultRule { PathContains = "role=student", DelayMilliseconds = 3000 });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Failed, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task A_dropped_connection_is_retried() =>
        Case("connection dropped once", "one student page's connection closed without an answer", "retried, Success", Default, async run =>
        {
            run.Simulator.Faults.Add(new FaultRule { PathContains = "role=student", DropConnection = true, Skip = 2, Count = 1 });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task Connections_that_always_drop_fail_the_run_and_change_nothing() =>
        Case("connection dropped for good", "every teacher page's connection closed without an answer", "Failed, nothing deleted", Default, async run =>
        {
            run.Simulator.Faults.Add(new FaultRule { PathContains = "role=teacher", DropConnection = true });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Failed, r.Status));
            return FaultCase.Describe(results);
        });

    [Theory]
    [InlineData("truncated JSON", "{\"data\":[{\"data\":{\"id\":\"5f0e")]
    [InlineData("invalid JSON", "this is not JSON at all")]
    [InlineData("JSON of the wrong shape", "[1, 2, 3]")]
    public Task A_malformed_200_fails_the_read_and_changes_nothing(string name, string body) =>
        Case($"200 with {name}", $"the second student page is a 200 whose body is {name}", "Failed, nothing deleted", Default, async run =>
        {
            run.Simulator.Faults.Add(new FaultRule { PathContains = "role=student", Body = body, Skip = 1 });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Failed, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task An_HTML_502_page_is_retried() =>
        Case("HTML error page once", "one 502 with an HTML body", "retried, Success", Default, async run =>
        {
            run.Simulator.Faults.Add(new FaultRule { PathContains = "role=student", StatusCode = 502, ContentType = "text/html", Body = "<html><body><h1>502 Bad Gateway</h1></body></html>", Count = 1 });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task An_HTML_page_with_status_200_is_a_failed_read() =>
        Case("HTML page with 200", "student pages are 200 text/html sign-in pages", "Failed, nothing deleted", Default, async run =>
        {
            run.Simulator.Faults.Add(new FaultRule { PathContains = "role=student", ContentType = "text/html", Body = "<!DOCTYPE html><html><body>Please sign in</body></html>" });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Failed, r.Status));
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task A_school_that_suddenly_answers_404_fails_alone_and_keeps_its_roster() =>
        Case("school suddenly 404", "every request under school 1 answers 404", "school 1 Failed and unchanged, school 2 Success", Default, async run =>
        {
            run.Simulator.Faults.Add(new FaultRule { PathContains = $"schools/{run.SchoolIds[0]}", StatusCode = 404 });
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.Equal(SyncStatus.Failed, results.Single(r => r.CleverSchoolId == run.SchoolIds[0]).Status);
            Assert.Equal(SyncStatus.Success, results.Single(r => r.CleverSchoolId == run.SchoolIds[1]).Status);
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task A_token_revoked_mid_sync_is_replaced_once() =>
        Case("token revoked mid-sync", "the district's token revoked after the third student page", "one new token, Success", Default, async run =>
        {
            var pages = 0;
            run.Proxy.Rewrite = (context, _) =>
            {
                if (context.Request.Query["role"] == "student" && Interlocked.Increment(ref pages) == 3)
                {
                    RevokeToken(run);
                }

                return Task.FromResult(false);
            };
            var tokens = run.Simulator.TokenRequestCount;
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
            Assert.Equal(tokens + 1, run.Simulator.TokenRequestCount);
            return FaultCase.Describe(results) + " with one new token";
        });
}
