namespace CleverSyncSOS.Authentication;

/// <summary>Health of one district's authentication (seed entity 3). Messages in it never hold a secret or token.</summary>
public sealed record AuthenticationHealthStatus
{
    public required string CleverDistrictId { get; init; }
    public bool IsHealthy { get; init; }
    public DateTime? LastSuccessTimestamp { get; init; }
    public string? LastErrorMessage { get; init; }

    /// <summary>Consecutive failed acquisitions.</summary>
    public int ErrorCount { get; init; }

    public DateTime? LastCheckedAt { get; init; }

    /// <summary>True while the circuit is open and a cached token is being used.</summary>
    public bool UsingCachedToken { get; init; }

    public bool CircuitOpen { get; init; }

    /// <summary>
    /// False when the last failure needs an operator (credentials rejected, secret missing); true when it was a
    /// network error, timeout or 5xx that retrying can fix.
    /// </summary>
    public bool LastFailureTransient { get; init; }

    /// <summary>The acquisition under way already counted in <see cref="ErrorCount"/> by a failed attempt it retries.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal bool FailureCounted { get; init; }
}
