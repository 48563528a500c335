using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Authentication;

/// <summary>How the service authenticates to Clever (seed entity 1). Bound from <c>CleverSyncSOS:CleverAuth</c>.</summary>
public sealed class CleverAuthConfiguration
{
    public const string SectionName = "CleverSyncSOS:CleverAuth";

    /// <summary>Clever's district-token endpoint. Any Clever-compatible server (the simulator) works.</summary>
    [Required]
    public string TokenEndpoint { get; set; } = "https://clever.com/oauth/tokens";

    /// <summary>Scopes the district token must carry, space separated.</summary>
    [Required]
    public string Scope { get; set; } = "read:students read:teachers";

    [Required]
    [ValidateObjectMembers]
    public RetryPolicy RetryPolicy { get; set; } = new();

    [Range(1, 86_400)]
    public int HealthCheckIntervalSeconds { get; set; } = 60;

    /// <summary>A token with a known expiry is renewed this long before it (or at 80 % of its lifetime if sooner).</summary>
    [Range(0, 86_400)]
    public int RenewBeforeExpirySeconds { get; set; } = 300;

    /// <summary>
    /// After a failed renewal, while the cached token is still valid, the next renewal is tried this much later
    /// instead of on every call (the health probe still asks every interval).
    /// </summary>
    [Range(0, 3_600)]
    public int RenewalRetrySeconds { get; set; } = 30;

    /// <summary>Consecutive failed acquisitions after which the circuit opens.</summary>
    [Range(1, 100)]
    public int CircuitBreakerFailureThreshold { get; set; } = 5;

    [Range(1, 3_600)]
    public int CircuitBreakerBreakSeconds { get; set; } = 60;

    [Range(1, 600)]
    public int RequestTimeoutSeconds { get; set; } = 30;

    public IReadOnlyList<string> RequiredScopes =>
        Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Retry settings shared by the token and data calls.</summary>
public sealed class RetryPolicy
{
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>First backoff delay; doubles each retry, with jitter. The seed types it as whole seconds; fractions are accepted.</summary>
    [Range(0d, 600d)] // double bounds: with int bounds NaN throws instead of failing validation
    public double BaseDelaySeconds { get; set; } = 2;

    /// <summary>Randomize the delays so many districts retrying at once do not hit Clever in step.</summary>
    public bool UseJitter { get; set; } = true;
}
