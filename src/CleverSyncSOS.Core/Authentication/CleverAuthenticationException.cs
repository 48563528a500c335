namespace CleverSyncSOS.Authentication;

/// <summary>
/// A district token could not be obtained. The message names the district and what to do; it never holds
/// a secret or token.
/// </summary>
public sealed class CleverAuthenticationException(string cleverDistrictId, string message, bool isTransient, Exception? inner = null)
    : Exception(message, inner)
{
    public string CleverDistrictId { get; } = cleverDistrictId;

    /// <summary>True for network errors, timeouts, 5xx and 429; false for rejected credentials or bad setup.</summary>
    public bool IsTransient { get; } = isTransient;

    /// <summary>On 429: how long until Clever's rate-limit window resets (X-Ratelimit-Reset), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
