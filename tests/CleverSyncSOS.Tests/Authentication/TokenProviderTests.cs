using CleverSyncSOS.Authentication;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CleverSyncSOS.Tests.Authentication;

public sealed class TokenProviderTests
{
    [Fact]
    public async Task Token_is_reused_until_near_its_expiry_and_renewed_after()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var simulator = SyncTestEnvironment.SmallDistrict(schools: 1);
        simulator.TokenLifetimeSeconds = 3600;
        await using var env = await SyncTestEnvironment.StartAsync(simulator, services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        await env.OnboardAsync();
        var provider = env.Services.GetRequiredService<ICleverTokenProvider>();
        var district = Credentials(env);

        var first = await provider.GetTokenAsync(district, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(50));
        var reused = await provider.GetTokenAsync(district, CancellationToken.None);
        Assert.Same(first, reused);
        Assert.Equal(1, env.Simulator.TokenRequestCount);
        Assert.NotNull(first.ExpiresAt);

        clock.Advance(TimeSpan.FromMinutes(6)); // 56 minutes in: within the 5-minute renewal margin
        var renewed = await provider.GetTokenAsync(district, CancellationToken.None);

        Assert.NotEqual(first.AccessToken, renewed.AccessToken);
        Assert.Equal(2, env.Simulator.TokenRequestCount);
        Assert.True(renewed.ExpiresAt > first.ExpiresAt);
    }

    [Fact]
    public async Task Wrong_credentials_give_an_error_naming_the_district_and_no_sync()
    {
        await using var env = await SyncTestEnvironment.StartAsync();
        await env.OnboardAsync(clientSecret: "not-the-secret");

        var results = await env.SyncAsync();

        Assert.Equal(3, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal(SyncStatus.Failed, r.Status);
            Assert.Contains(env.District.Id, r.Error);
            Assert.Contains("rejected the credentials", r.Error);
            Assert.DoesNotContain("not-the-secret", r.Error);
        });
        foreach (var school in env.District.Schools)
        {
            Assert.Empty(await env.StudentsAsync(school.Id));
            Assert.All(await env.HistoryAsync(school.Id), h => Assert.Equal(SyncStatus.Failed, h.Status));
        }

        // 401 is not retried: one token request per school at most, none repeated with backoff.
        Assert.True(env.Simulator.TokenRequestCount <= 3, $"{env.Simulator.TokenRequestCount} token requests");
        Assert.Equal(0, env.Simulator.DataRequestCount);
    }

    private static DistrictCredentials Credentials(SyncTestEnvironment env) =>
        new(env.District.Id, SecretNames.DistrictCredentials(SecretNames.DefaultDistrictPrefix(env.District.Id), null));
}
