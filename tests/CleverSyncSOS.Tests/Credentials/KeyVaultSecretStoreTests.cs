using System.Net;
using Azure.Core;
using Azure.Identity;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Credentials.KeyVault;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CleverSyncSOS.Tests.Credentials;

public sealed class KeyVaultSecretStoreTests : IAsyncLifetime
{
    private const string Name = "District-1--ClientSecret";
    private const string Value = "first-secret-value-7f3a";
    private const string RotatedValue = "rotated-secret-value-91c2";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly TestLoggerProvider _logs = new();
    private FakeKeyVault _vault = null!;

    public async Task InitializeAsync()
    {
        _vault = await FakeKeyVault.StartAsync();
        _vault.SetSecret(Name, Value);
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task Reads_a_secret_through_the_real_sdk()
    {
        using var store = CreateStore();

        var value = await store.GetSecretAsync(Name, CancellationToken.None);

        Assert.Equal(Value, value);
        Assert.True(store.Health.IsHealthy);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, store.Health.LastSuccessAt);
    }

    [Fact]
    public async Task Missing_secret_reads_as_null()
    {
        using var store = CreateStore();

        Assert.Null(await store.GetSecretAsync("Not-There", CancellationToken.None));
        Assert.True(store.Health.IsHealthy);
    }

    [Fact]
    public async Task Second_read_within_the_cache_lifetime_makes_no_request()
    {
        using var store = CreateStore(cacheSeconds: 300);
        await store.GetSecretAsync(Name, CancellationToken.None);
        var requests = _vault.RequestCount;

        _clock.Advance(TimeSpan.FromSeconds(299));
        var value = await store.GetSecretAsync(Name, CancellationToken.None);

        Assert.Equal(Value, value);
        Assert.Equal(requests, _vault.RequestCount);
    }

    [Fact]
    public async Task Rotated_value_is_seen_once_the_cache_expires()
    {
        using var store = CreateStore(cacheSeconds: 300);
        await store.GetSecretAsync(Name, CancellationToken.None);
        _vault.SetSecret(Name, RotatedValue);

        _clock.Advance(TimeSpan.FromSeconds(200));
        Assert.Equal(Value, await store.GetSecretAsync(Name, CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(101));
        Assert.Equal(RotatedValue, await store.GetSecretAsync(Name, CancellationToken.None));
    }

    [Fact]
    public async Task Invalidate_forces_a_re_read_within_the_cache_lifetime()
    {
        using var store = CreateStore(cacheSeconds: 300);
        await store.GetSecretAsync(Name, CancellationToken.None);
        _vault.SetSecret(Name, RotatedValue);

        store.Invalidate(Name);

        Assert.Equal(RotatedValue, await store.GetSecretAsync(Name, CancellationToken.None));
    }

    [Fact]
    public async Task InvalidateAll_forces_a_re_read_of_every_cached_secret()
    {
        using var store = CreateStore(cacheSeconds: 300);
        _vault.SetSecret("Other", "other-value");
        await store.GetSecretAsync(Name, CancellationToken.None);
        await store.GetSecretAsync("Other", CancellationToken.None);
        _vault.SetSecret(Name, RotatedValue);
        _vault.SetSecret("Other", "other-rotated");

        store.InvalidateAll();

        Assert.Equal(RotatedValue, await store.GetSecretAsync(Name, CancellationToken.None));
        Assert.Equal("other-rotated", await store.GetSecretAsync("Other", CancellationToken.None));
    }

    [Fact]
    public async Task Set_writes_through_the_sdk_and_is_read_back_from_the_cache()
    {
        using var store = CreateStore(cacheSeconds: 300);

        await store.SetSecretAsync("New-Secret", "new-value-55d1", CancellationToken.None);
        var requests = _vault.RequestCount;

        Assert.Equal("new-value-55d1", _vault.GetSecret("New-Secret"));
        Assert.Equal("new-value-55d1", await store.GetSecretAsync("New-Secret", CancellationToken.None));
        Assert.Equal(requests, _vault.RequestCount);
    }

    [Fact]
    public async Task Outage_serves_the_stale_cached_value_reports_unhealthy_and_warns()
    {
        using var store = CreateStore(cacheSeconds: 300);
        await store.GetSecretAsync(Name, CancellationToken.None);
        _vault.Outage = true;
        _clock.Advance(TimeSpan.FromSeconds(301));

        var value = await store.GetSecretAsync(Name, CancellationToken.None);

        Assert.Equal(Value, value);
        Assert.False(store.Health.IsHealthy);
        Assert.Contains(_vault.VaultUri.Authority, store.Health.LastError);
        Assert.Contains("unreachable", store.Health.LastError);
        Assert.DoesNotContain(Value, store.Health.LastError);
        Assert.Contains(_logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains(Name) && l.Contains(_vault.VaultUri.Authority));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(Value));
    }

    [Fact]
    public async Task Invalidated_secret_still_falls_back_to_its_cached_value_during_an_outage()
    {
        using var store = CreateStore(cacheSeconds: 300);
        await store.GetSecretAsync(Name, CancellationToken.None);
        _vault.FailWithStatus = HttpStatusCode.ServiceUnavailable;

        store.Invalidate(Name);
        var value = await store.GetSecretAsync(Name, CancellationToken.None);

        Assert.Equal(Value, value);
        Assert.Contains("503", store.Health.LastError);
    }

    [Fact]
    public async Task Background_loop_marks_the_store_healthy_once_the_vault_answers_again()
    {
        // Real time and a short backoff: this exercises the actual background loop.
        using var store = CreateStore(cacheSeconds: 0, time: TimeProvider.System,
            backoff: new KeyVaultRecoveryBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)));
        await store.GetSecretAsync(Name, CancellationToken.None);
        _vault.Outage = true;
        Assert.Equal(Value, await store.GetSecretAsync(Name, CancellationToken.None));
        var requestsAtOutage = _vault.RequestCount;

        // It keeps retrying, and stays unhealthy, while the vault is down.
        await WaitUntilAsync(() => _vault.RequestCount >= requestsAtOutage + 3);
        Assert.False(store.Health.IsHealthy);

        _vault.SetSecret(Name, RotatedValue);
        _vault.Outage = false;
        await WaitUntilAsync(() => store.Health.IsHealthy);

        Assert.Null(store.Health.LastError);
        Assert.Contains(_logs.Lines, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("answers again"));
        Assert.Equal(RotatedValue, await store.GetSecretAsync(Name, CancellationToken.None));
    }

    [Theory]
    [InlineData("dropped connections")]
    [InlineData("503")]
    [InlineData("429")]
    public async Task Outage_without_a_cached_value_throws_naming_the_secret_and_vault_but_no_value(string failure)
    {
        using var store = CreateStore();
        await store.GetSecretAsync(Name, CancellationToken.None);
        _vault.SetSecret("Never-Read", "never-read-value-0b7e");
        switch (failure)
        {
            case "503": _vault.FailWithStatus = HttpStatusCode.ServiceUnavailable; break;
            case "429": _vault.FailWithStatus = HttpStatusCode.TooManyRequests; break;
            default: _vault.Outage = true; break;
        }

        var error = await Assert.ThrowsAsync<KeyVaultUnavailableException>(() => store.GetSecretAsync("Never-Read", CancellationToken.None));

        Assert.Contains("'Never-Read'", error.Message);
        Assert.Contains(_vault.VaultUri.Authority, error.Message);
        Assert.Contains("unreachable", error.Message);
        Assert.DoesNotContain("never-read-value-0b7e", error.Message);
        Assert.DoesNotContain(Value, error.Message);
        Assert.False(store.Health.IsHealthy);
    }

    [Theory]
    [InlineData("dropped connections")]
    [InlineData("503")]
    public async Task Outage_after_the_sdks_own_retries_is_reported_as_the_vault_being_unreachable(string failure)
    {
        using var store = CreateStore(client: _vault.CreateClient(retries: 2));
        if (failure == "503")
        {
            _vault.FailWithStatus = HttpStatusCode.ServiceUnavailable;
        }
        else
        {
            _vault.Outage = true;
        }

        var error = await Assert.ThrowsAsync<KeyVaultUnavailableException>(() => store.GetSecretAsync(Name, CancellationToken.None));

        Assert.Contains($"'{Name}'", error.Message);
        Assert.Contains(_vault.VaultUri.Authority, error.Message);
        Assert.Contains("unreachable", error.Message);
        Assert.DoesNotContain(Value, error.Message);
        Assert.False(store.Health.IsHealthy);
    }

    [Fact]
    public async Task Credential_that_cannot_get_a_token_counts_as_the_vault_being_unreachable()
    {
        using var store = CreateStore(client: _vault.CreateClient(new FailingCredential()));

        var error = await Assert.ThrowsAsync<KeyVaultUnavailableException>(() => store.GetSecretAsync(Name, CancellationToken.None));

        Assert.Contains("credential", error.Message);
        Assert.False(store.Health.IsHealthy);
        Assert.Contains(_vault.VaultUri.Authority, store.Health.LastError);
    }

    [Fact]
    public async Task Set_during_an_outage_throws_naming_the_secret_and_vault_but_no_value()
    {
        using var store = CreateStore();
        _vault.FailWithStatus = HttpStatusCode.InternalServerError;

        var error = await Assert.ThrowsAsync<KeyVaultUnavailableException>(() => store.SetSecretAsync(Name, RotatedValue, CancellationToken.None));

        Assert.Contains($"'{Name}'", error.Message);
        Assert.Contains(_vault.VaultUri.Authority, error.Message);
        Assert.DoesNotContain(RotatedValue, error.Message);
        Assert.Equal(Value, _vault.GetSecret(Name));
    }

    private KeyVaultSecretStore CreateStore(int cacheSeconds = 300, TimeProvider? time = null, KeyVaultRecoveryBackoff? backoff = null, Azure.Security.KeyVault.Secrets.SecretClient? client = null)
    {
        var loggers = new LoggerFactory([_logs]);
        return new KeyVaultSecretStore(
            client ?? _vault.CreateClient(),
            new SecretStoreOptions { Provider = SecretStoreProvider.KeyVault, VaultUri = _vault.VaultUri.ToString(), CacheSeconds = cacheSeconds },
            time ?? _clock,
            loggers.CreateLogger<KeyVaultSecretStore>(),
            // Long enough that the loop never probes during tests that don't advance the clock that far.
            backoff ?? new KeyVaultRecoveryBackoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met within 10 s.");
            await Task.Delay(20);
        }
    }

    private sealed class FailingCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException("No identity is available in this test.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException("No identity is available in this test.");
    }
}
