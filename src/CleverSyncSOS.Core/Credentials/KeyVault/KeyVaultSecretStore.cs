using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;

namespace CleverSyncSOS.Credentials.KeyVault;

/// <summary>
/// Secrets in Azure Key Vault, cached for <see cref="SecretStoreOptions.CacheSeconds"/>. When the vault is
/// unreachable, the last value read is served (even when stale), the store reports itself unhealthy and a
/// background loop retries until the vault answers again (the seed's "retry in background; log and alert").
/// Logs and errors name secrets and the vault, never values.
/// </summary>
public sealed partial class KeyVaultSecretStore : ISecretStore, IRefreshableSecretStore, ISecretStoreHealthSource, IDisposable
{
    private readonly SecretClient _client;
    private readonly ILogger<KeyVaultSecretStore> _logger;
    private readonly SecretCache _cache;
    private readonly KeyVaultHealthTracker _health;
    private readonly KeyVaultRecoveryLoop _recovery;
    private readonly string _vault;

    // The secret whose read found the vault down: the recovery loop re-reads it to tell when the vault is back.
    private volatile string? _probeName;

    public KeyVaultSecretStore(SecretClient client, SecretStoreOptions options, TimeProvider time, ILogger<KeyVaultSecretStore> logger)
        : this(client, options, time, logger, KeyVaultRecoveryBackoff.Default)
    {
    }

    /// <summary>Lets tests shorten the recovery backoff.</summary>
    internal KeyVaultSecretStore(SecretClient client, SecretStoreOptions options, TimeProvider time, ILogger<KeyVaultSecretStore> logger, KeyVaultRecoveryBackoff backoff)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _logger = logger;
        _vault = client.VaultUri.ToString();
        _cache = new SecretCache(time, TimeSpan.FromSeconds(options.CacheSeconds));
        _health = new KeyVaultHealthTracker(time);
        _recovery = new KeyVaultRecoveryLoop(ProbeAsync, () => _health.IsHealthy, backoff, time);
    }

    public Uri VaultUri => _client.VaultUri;

    public SecretStoreHealth Health => _health.Current;

    /// <summary>Builds the store for production: the vault of <paramref name="options"/>, signed in with <see cref="DefaultAzureCredential"/>.</summary>
    public static KeyVaultSecretStore Create(SecretStoreOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!Uri.TryCreate(options.VaultUri, UriKind.Absolute, out var vaultUri))
        {
            throw new InvalidOperationException($"{SecretStoreOptions.SectionName}:VaultUri must be the Key Vault URI (https://<name>.vault.azure.net/) when the provider is KeyVault.");
        }

        // Fail over to the cache quickly instead of the SDK's 100 s network timeout: the recovery loop keeps trying.
        var clientOptions = new SecretClientOptions { Retry = { MaxRetries = 2, NetworkTimeout = TimeSpan.FromSeconds(15) } };
        var client = new SecretClient(vaultUri, new DefaultAzureCredential(), clientOptions);
        return new KeyVaultSecretStore(client, options, time, loggers.CreateLogger<KeyVaultSecretStore>());
    }

    public async Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var cached = _cache.Find(name);
        if (cached is { IsFresh: true })
        {
            return cached.Value.Value;
        }

        // While the vault is known to be down, callers get the cached value at once instead of waiting on the
        // vault; the recovery loop does the probing. A forced re-read (Invalidate) still tries the vault.
        if (cached is { Invalidated: false } && !_health.IsHealthy)
        {
            return cached.Value.Value;
        }

        try
        {
            return await ReadAsync(name, cancellationToken);
        }
        catch (Exception ex) when (KeyVaultFailure.DescribeUnavailability(ex, cancellationToken) is { } reason)
        {
            RecordOutage(name, reason);
            if (cached is { } fallback)
            {
                LogServingCachedValue(_logger, name, _vault, reason);
                return fallback.Value;
            }

            throw KeyVaultUnavailableException.ForRead(name, _vault, reason, ex);
        }
    }

    public async Task SetSecretAsync(string name, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!SecretNames.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid secret name: use 1–127 letters, digits and dashes.", nameof(name));
        }

        try
        {
            await _client.SetSecretAsync(name, value, cancellationToken);
        }
        catch (Exception ex) when (KeyVaultFailure.DescribeUnavailability(ex, cancellationToken) is { } reason)
        {
            throw KeyVaultUnavailableException.ForWrite(name, _vault, reason, ex);
        }

        _cache.Store(name, value);
        RecordSuccess();
        LogSecretSet(_logger, name, _vault);
    }

    public void Invalidate(string name)
    {
        _cache.Invalidate(name);
        LogInvalidated(_logger, name, _vault);
    }

    /// <summary>Forces a re-read of every cached secret.</summary>
    public void InvalidateAll() => _cache.InvalidateAll();

    public void Dispose() => _recovery.Dispose();

    private async Task<string?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var secret = (await _client.GetSecretAsync(name, version: null, cancellationToken)).Value;
            _cache.Store(name, secret.Value);
            RecordSuccess();
            return secret.Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Deleted in the vault: stop serving the old value.
            _cache.Remove(name);
            RecordSuccess();
            return null;
        }
    }

    /// <returns>True when the vault answered.</returns>
    private async Task<bool> ProbeAsync(CancellationToken stopping)
    {
        if (_probeName is not { } name)
        {
            return false;
        }

        try
        {
            await ReadAsync(name, stopping);
            return true;
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            // Anything else keeps the loop alive: it must not die with the outage still on.
            var reason = KeyVaultFailure.DescribeUnavailability(ex, stopping) ?? ex.GetType().Name;
            _health.RecordFailure(OutageText(reason));
            LogRecoveryAttemptFailed(_logger, _vault, reason);
            return false;
        }
    }

    private void RecordOutage(string name, string reason)
    {
        _probeName = name;
        if (_health.RecordFailure(OutageText(reason)))
        {
            LogOutageStarted(_logger, _vault, reason);
        }

        _recovery.EnsureRunning();
    }

    private void RecordSuccess()
    {
        if (_health.RecordSuccess())
        {
            LogRecovered(_logger, _vault);
        }
    }

    private string OutageText(string reason) => $"Key Vault {_vault} is unreachable: {reason}";

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Key Vault {VaultUri} is unreachable ({Reason}); cached secrets are served and the vault is retried in the background")]
    private static partial void LogOutageStarted(ILogger logger, string vaultUri, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Serving the cached value of secret {SecretName} because Key Vault {VaultUri} is unreachable ({Reason})")]
    private static partial void LogServingCachedValue(ILogger logger, string secretName, string vaultUri, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Key Vault {VaultUri} is still unreachable ({Reason}); retrying with backoff")]
    private static partial void LogRecoveryAttemptFailed(ILogger logger, string vaultUri, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Key Vault {VaultUri} answers again; secrets are read from it again")]
    private static partial void LogRecovered(ILogger logger, string vaultUri);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Secret {SecretName} was written to Key Vault {VaultUri}")]
    private static partial void LogSecretSet(ILogger logger, string secretName, string vaultUri);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Secret {SecretName} of Key Vault {VaultUri} will be re-read on its next use")]
    private static partial void LogInvalidated(ILogger logger, string secretName, string vaultUri);
}
