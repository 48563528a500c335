using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Observability;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CleverSyncSOS.Tests.Authentication;

public sealed partial class AuthenticationResilienceTests
{
    [Fact]
    public async Task Fifty_concurrent_callers_cause_one_token_request()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        env.Simulator.Faults.LatencyMilliseconds = 0;
        env.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Token, DelayMilliseconds = 300, Count = 1 }); // keep the first request in flight
        var provider = env.Services.GetRequiredService<ICleverTokenProvider>();
        var district = Credentials(env);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => provider.GetTokenAsync(district, CancellationToken.None))));

        Assert.Equal(1, env.Simulator.TokenRequestCount);
        Assert.Single(tokens.Select(t => t.AccessToken).Distinct());
    }

    [Fact]
    public async Task A_data_call_answered_401_drops_the_token_and_fetches_a_new_one_once()
    {
        await using var env = await SyncTestEnvironment.StartAsync();
        await env.OnboardAsync();
        await env.SyncAsync();
        var tokenRequests = env.Simulator.TokenRequestCount;
        env.Simulator.Store.RevokeTokens(env.District.Id);
        env.Simulator.Store.AddStudent(env.District.Schools[0].Id);

        var results = await env.SyncAsync();

        Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
        Assert.Equal(tokenRequests + 1, env.Simulator.TokenRequestCount);
    }

    [Fact]
    public async Task Token_requests_are_retried_with_growing_delays_on_500_then_succeed()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1), s =>
        {
            s["CleverSyncSOS:CleverAuth:RetryPolicy:MaxRetries"] = "3";
            s["CleverSyncSOS:CleverAuth:RetryPolicy:BaseDelaySeconds"] = "0.1";
            s["CleverSyncSOS:CleverAuth:RetryPolicy:UseJitter"] = "false";
        });
        await env.OnboardAsync();
        env.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Token, StatusCode = 500, Count = 2 });

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal(3, env.Simulator.TokenRequestCount);
        var delays = env.Logs.Lines.Select(l => RetryDelay().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal([100, 200], delays);
    }

    [Fact]
    public async Task A_rate_limited_token_request_waits_for_Clevers_window_to_reset_and_succeeds()
    {
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        await using var env = await SyncTestEnvironment.StartAsync(simulator, s =>
        {
            s["CleverSyncSOS:CleverAuth:RetryPolicy:BaseDelaySeconds"] = "30"; // would time the test out if used
        });
        await env.OnboardAsync();
        var reset = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds();
        env.Simulator.Faults.Add(new FaultRule
        {
            Target = FaultTarget.Token, StatusCode = 429, Count = 1, ContentType = "text/plain", Body = "Too Many Requests",
            Headers = new Dictionary<string, string> { ["X-Ratelimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal(2, env.Simulator.TokenRequestCount);
        // The wait the client asked for runs to Clever's reset (at most 2 s away when the fault was set), never the 30 s backoff.
        var delay = Assert.Single(env.Logs.Lines.Select(l => RetryDelay().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)));
        Assert.InRange(delay, 0, 2_000);
    }

    [Fact]
    public async Task A_token_request_that_times_out_is_retried()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1),
            s => s["CleverSyncSOS:CleverAuth:RequestTimeoutSeconds"] = "1");
        await env.OnboardAsync();
        env.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Token, DelayMilliseconds = 3000, Count = 1 });

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal(2, env.Simulator.TokenRequestCount);
        Assert.Contains(env.Logs.Lines, l => l.Contains("did not answer in time"));
    }

    [Fact]
    public async Task Data_calls_failing_with_500_are_retried_and_the_sync_completes()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        env.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Api, PathContains = "/users", StatusCode = 503, Count = 2 });

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal(120, (await env.StudentsAsync(env.District.Schools[0].Id)).Count);
    }

    [Fact]
    public async Task After_five_failed_acquisitions_the_circuit_opens_and_the_cached_token_keeps_the_sync_going()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        simulator.TokenLifetimeSeconds = 3600;
        await using var env = await SyncTestEnvironment.StartAsync(simulator,
            s => s["CleverSyncSOS:CleverAuth:RetryPolicy:BaseDelaySeconds"] = "0",
            services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        clock.Advance(TimeSpan.FromMinutes(56)); // renewal due, token still valid for 4 minutes
        env.Simulator.Faults.Add(new FaultRule { Target = FaultTarget.Token, StatusCode = 500 });
        var health = env.Services.GetRequiredService<AuthenticationHealthTracker>();

        for (var run = 1; run <= 6; run++)
        {
            clock.Advance(TimeSpan.FromSeconds(31)); // past the pause between renewal attempts
            env.Simulator.Store.AddStudent(school.Id);
            var result = Assert.Single(await env.SyncAsync());
            Assert.Equal(SyncStatus.Success, result.Status);
        }

        var status = health.Get(env.District.Id)!;
        Assert.True(status.CircuitOpen);
        Assert.True(status.UsingCachedToken);
        Assert.False(status.IsHealthy);
        Assert.Equal(6, status.ErrorCount);
        // 5 acquisitions × (1 try + 2 retries) reach Clever; the 6th is stopped by the open circuit.
        Assert.Equal(1 + 5 * 3, env.Simulator.TokenRequestCount);
        Assert.Equal(126, (await env.StudentsAsync(school.Id)).Count);
    }

    [Fact]
    public async Task Rotating_the_credentials_heals_the_sync_without_a_restart()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        await env.SyncAsync();
        var newSecret = env.Simulator.Store.RotateCredentials(env.District.Id);
        env.Simulator.Store.RevokeTokens(env.District.Id);

        var rejected = Assert.Single(await env.SyncAsync());
        Assert.Equal(SyncStatus.Failed, rejected.Status);
        Assert.Contains("rotate", rejected.Error);

        await env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(
            SecretNames.DistrictClientSecret(SecretNames.DefaultDistrictPrefix(env.District.Id)), newSecret, CancellationToken.None);
        var healed = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Success, healed.Status);
        Assert.True(env.Services.GetRequiredService<AuthenticationHealthTracker>().Get(env.District.Id)!.IsHealthy);
    }

    [Fact]
    public async Task Token_acquisitions_are_counted_by_outcome()
    {
        var measurements = new List<(long Value, string? Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CleverSyncTelemetry.Name && instrument.Name == "cleversync.auth.token_acquisitions")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (measurements)
            {
                measurements.Add((value, tags.ToArray().FirstOrDefault(t => t.Key == "outcome").Value as string));
            }
        });
        listener.Start();
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync(clientSecret: "wrong");
        await env.SyncAsync();
        await env.OnboardAsync();
        await env.SyncAsync();

        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Outcome == "failure");
            Assert.Contains(measurements, m => m.Outcome == "success");
        }
    }

    private static DistrictCredentials Credentials(SyncTestEnvironment env) =>
        new(env.District.Id, SecretNames.DistrictCredentials(SecretNames.DefaultDistrictPrefix(env.District.Id), null));

    [GeneratedRegex(@"Retrying the Clever token request .* in (\d+) ms")]
    private static partial Regex RetryDelay();
}
