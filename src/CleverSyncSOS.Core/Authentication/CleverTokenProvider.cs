using System.Collections.Concurrent;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Credentials.KeyVault;
using CleverSyncSOS.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace CleverSyncSOS.Authentication;

/// <summary>
/// Caches one token per district and renews it before it expires. One acquisition is in flight per district
/// however many callers wait. Acquisitions retry transient failures with exponential backoff; after repeated
/// failures a circuit opens, and while a cached token is still valid it keeps being used (the seed's fallback).
/// </summary>
public sealed partial class CleverTokenProvider(
    CleverTokenClient tokenClient,
    ISecretStore secrets,
    AuthenticationHealthTracker health,
    IOptions<CleverAuthConfiguration> options,
    TimeProvider time,
    ILogger<CleverTokenProvider> logger) : ICleverTokenProvider
{
    private readonly ConcurrentDictionary<string, DistrictTokenState> _districts = new(StringComparer.Ordinal);

    public async Task<CleverAuthToken> GetTokenAsync(DistrictCredentials district, CancellationToken cancellationToken)
    {
        var state = _districts.GetOrAdd(district.CleverDistrictId, id => new DistrictTokenState(BuildPipeline(id)));
        if (Fresh(state) is { } cached)
        {
            return cached;
        }

        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have renewed it while this one waited.
            if (Fresh(state) is { } renewed)
            {
                return renewed;
            }

            return state.Token = await AcquireAsync(district, state, allowCachedFallback: true, cancellationToken);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    public async Task<CleverAuthToken> CheckAsync(DistrictCredentials district, CancellationToken cancellationToken)
    {
        var state = _districts.GetOrAdd(district.CleverDistrictId, id => new DistrictTokenState(BuildPipeline(id)));
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            return state.Token = await AcquireAsync(district, state, allowCachedFallback: false, cancellationToken);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    public void Invalidate(string cleverDistrictId, string accessToken)
    {
        if (_districts.TryGetValue(cleverDistrictId, out var state) && state.Token?.AccessToken == accessToken)
        {
            state.Token = null;
            LogTokenRejected(logger, cleverDistrictId);
        }
    }

    /// <summary>The cached token when it needs no renewal, or when a renewal just failed and it is still valid.</summary>
    private CleverAuthToken? Fresh(DistrictTokenState state)
    {
        var token = state.Token;
        var now = time.GetUtcNow().UtcDateTime;
        return token is not null && (!token.NeedsRenewal(now, TimeSpan.FromSeconds(options.Value.RenewBeforeExpirySeconds))
                                     || (now < state.RetryRenewalAfter && !token.IsExpired(now)))
            ? token
            : null;
    }

    private async Task<CleverAuthToken> AcquireAsync(DistrictCredentials district, DistrictTokenState state, bool allowCachedFallback, CancellationToken cancellationToken)
    {
        var districtId = district.CleverDistrictId;
        try
        {
            var token = await state.Pipeline.ExecuteAsync(
                static async (context, ct) => await context.Provider.RequestAsync(context.District, ct),
                (Provider: this, District: district),
                cancellationToken);
            state.RetryRenewalAfter = DateTime.MinValue;
            health.RecordSuccess(districtId);
            CleverSyncTelemetry.TokenAcquisitions.Add(1, Outcome("success"), District(districtId));
            LogTokenAcquired(logger, districtId, token.Scope, token.ExpiresAt);
            return token;
        }
        catch (Exception ex) when (ex is CleverAuthenticationException or BrokenCircuitException)
        {
            var message = ex is BrokenCircuitException
                ? $"Token acquisition for district {districtId} is paused after repeated failures (circuit open); it is retried automatically."
                : ex.Message;
            var fallback = state.Token is { } cached && !cached.IsExpired(time.GetUtcNow().UtcDateTime) ? cached : null;
            var transient = ex is BrokenCircuitException || ex is CleverAuthenticationException { IsTransient: true };
            health.RecordFailure(districtId, message, transient, usingCachedToken: fallback is not null);

            if (fallback is not null)
            {
                state.RetryRenewalAfter = time.GetUtcNow().UtcDateTime.AddSeconds(options.Value.RenewalRetrySeconds);
            }

            if (fallback is not null && allowCachedFallback)
            {
                CleverSyncTelemetry.TokenAcquisitions.Add(1, Outcome("cached"), District(districtId));
                LogUsingCachedToken(logger, districtId, message);
                return fallback;
            }

            CleverSyncTelemetry.TokenAcquisitions.Add(1, Outcome("failure"), District(districtId));
            LogTokenFailed(logger, districtId, message);
            throw ex as CleverAuthenticationException ?? new CleverAuthenticationException(districtId, message, isTransient: true, ex);
        }
    }

    /// <summary>One attempt. Secrets are read every time, so credentials rotated in the store heal the service without restart.</summary>
    private async Task<CleverAuthToken> RequestAsync(DistrictCredentials district, CancellationToken cancellationToken)
    {
        var reference = district.Credentials;
        var clientId = await secrets.GetSecretAsync(reference.ClientIdSecretName, cancellationToken);
        var clientSecret = await secrets.GetSecretAsync(reference.ClientSecretName, cancellationToken);
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret))
        {
            var missing = string.IsNullOrEmpty(clientId) ? reference.ClientIdSecretName : reference.ClientSecretName;
            throw new CleverAuthenticationException(district.CleverDistrictId,
                $"The Clever credentials of district {district.CleverDistrictId} are not in the secret store: '{missing}' is missing. Set it with: cleversync secrets set {missing}",
                isTransient: false);
        }

        try
        {
            return await tokenClient.RequestTokenAsync(district.CleverDistrictId, clientId, clientSecret, cancellationToken);
        }
        catch (CleverAuthenticationException ex) when (!ex.IsTransient && secrets is IRefreshableSecretStore refreshable)
        {
            // Rejected credentials may have been rotated in Key Vault: read them afresh on the next attempt.
            refreshable.Invalidate(reference.ClientIdSecretName);
            refreshable.Invalidate(reference.ClientSecretName);
            throw;
        }
    }

    private ResiliencePipeline BuildPipeline(string districtId)
    {
        var configuration = options.Value;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };

        // Outermost: each acquisition (with all its retries) counts once towards the breaker.
        // Polly v8 breaks on a failure ratio; ratio 1.0 over at least N calls means "N failures with no success between".
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 1.0,
            MinimumThroughput = Math.Max(2, configuration.CircuitBreakerFailureThreshold),
            SamplingDuration = TimeSpan.FromMinutes(30),
            BreakDuration = TimeSpan.FromSeconds(configuration.CircuitBreakerBreakSeconds),
            ShouldHandle = new PredicateBuilder().Handle<CleverAuthenticationException>(),
            OnOpened = _ =>
            {
                health.RecordCircuit(districtId, open: true);
                LogCircuitOpened(logger, districtId, configuration.CircuitBreakerBreakSeconds);
                return default;
            },
            OnClosed = _ =>
            {
                health.RecordCircuit(districtId, open: false);
                LogCircuitClosed(logger, districtId);
                return default;
            },
        });

        if (configuration.RetryPolicy.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = configuration.RetryPolicy.MaxRetries,
                Delay = TimeSpan.FromSeconds(configuration.RetryPolicy.BaseDelaySeconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = configuration.RetryPolicy.UseJitter,
                // Rejected credentials and bad setup are not retried: retrying cannot fix them.
                ShouldHandle = new PredicateBuilder().Handle<CleverAuthenticationException>(e => e.IsTransient),
                // A 429 says when the window resets: wait until then rather than guess.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is CleverAuthenticationException { RetryAfter: { } wait }
                    ? (TimeSpan?)TimeSpan.FromTicks(Math.Clamp(wait.Ticks, 0, TimeSpan.FromMinutes(2).Ticks))
                    : null),
                OnRetry = args =>
                {
                    LogRetry(logger, districtId, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message);
                    // Health shows the failed attempt now, not only after the whole retry sequence.
                    health.RecordRetry(districtId, args.Outcome.Exception?.Message ?? "The token request failed; retrying.");
                    return default;
                },
            });
        }

        return builder.Build();
    }

    private static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);

    private static KeyValuePair<string, object?> District(string districtId) => new("district", districtId);

    private sealed class DistrictTokenState(ResiliencePipeline pipeline)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ResiliencePipeline Pipeline { get; } = pipeline;
        public volatile CleverAuthToken? Token;

        /// <summary>Until when a failed renewal is not tried again (the cached token is used meanwhile).</summary>
        public DateTime RetryRenewalAfter { get; set; } = DateTime.MinValue;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Acquired a Clever token for district {CleverDistrictId} with scopes {Scopes}, expiring {ExpiresAt}")]
    private static partial void LogTokenAcquired(ILogger logger, string cleverDistrictId, string scopes, DateTime? expiresAt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Could not acquire a Clever token for district {CleverDistrictId}: {Reason}")]
    private static partial void LogTokenFailed(ILogger logger, string cleverDistrictId, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Using the cached Clever token of district {CleverDistrictId}, still valid, because renewal failed: {Reason}")]
    private static partial void LogUsingCachedToken(ILogger logger, string cleverDistrictId, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Retrying the Clever token request for district {CleverDistrictId} (attempt {Attempt}) in {DelayMs:F0} ms: {Reason}")]
    private static partial void LogRetry(ILogger logger, string cleverDistrictId, int attempt, double delayMs, string? reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Circuit opened for Clever token requests of district {CleverDistrictId}; paused for {BreakSeconds} s")]
    private static partial void LogCircuitOpened(ILogger logger, string cleverDistrictId, int breakSeconds);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Circuit closed for Clever token requests of district {CleverDistrictId}")]
    private static partial void LogCircuitClosed(ILogger logger, string cleverDistrictId);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Clever rejected the cached token of district {CleverDistrictId}; a new one will be fetched")]
    private static partial void LogTokenRejected(ILogger logger, string cleverDistrictId);
}
