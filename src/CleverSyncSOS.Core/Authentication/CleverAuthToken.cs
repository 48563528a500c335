namespace CleverSyncSOS.Authentication;

/// <summary>A district token from Clever (seed entity 2). Kept in memory only; never logged or stored.</summary>
public sealed record CleverAuthToken(
    string AccessToken,
    DateTime? ExpiresAt,
    string Scope,
    string TokenType,
    DateTime RetrievedAt)
{
    public bool IsExpired(DateTime now) => ExpiresAt is { } expiresAt && now >= expiresAt;

    /// <summary>True once the token is within the renewal margin of its expiry (never for tokens without one).</summary>
    public bool NeedsRenewal(DateTime now, TimeSpan renewBefore)
    {
        if (ExpiresAt is not { } expiresAt)
        {
            return false;
        }

        var lifetime = expiresAt - RetrievedAt;
        var margin = TimeSpan.FromTicks(Math.Min(renewBefore.Ticks, lifetime.Ticks / 5));
        return now >= expiresAt - margin;
    }

    // Records print every property; the token must never reach a log line through ToString.
    public override string ToString() => $"CleverAuthToken {{ TokenType = {TokenType}, Scope = {Scope}, ExpiresAt = {ExpiresAt:O} }}";
}
