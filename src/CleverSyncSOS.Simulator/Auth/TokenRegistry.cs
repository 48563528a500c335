using System.Security.Cryptography;
using CleverSyncSOS.Simulator.Data;

namespace CleverSyncSOS.Simulator.Auth;

/// <summary>
/// Issues and validates district-app tokens. Without a lifetime the same token is handed out until it is
/// revoked (like Clever); with one, every request mints a fresh token and older ones live out their own lifetime.
/// </summary>
internal sealed class TokenRegistry(ObjectIds ids, TimeProvider time, int? lifetimeSeconds)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IssuedToken> _byAccessToken = new(StringComparer.Ordinal);
    private readonly Dictionary<int, IssuedToken> _current = [];
    private long _counter;

    public int? LifetimeSeconds { get; } = lifetimeSeconds;

    public IssuedToken GetOrMint(int districtIndex)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (LifetimeSeconds is null && _current.TryGetValue(districtIndex, out var current) && current.IsValidAt(now)) return current;
            var token = new IssuedToken
            {
                Id = ids.Format(IdKind.Token, ++_counter),
                // Opaque and unguessable, ~40 hex like Clever's; not seeded on purpose.
                AccessToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
                DistrictIndex = districtIndex,
                Created = now,
                ExpiresAt = LifetimeSeconds is int seconds ? now.AddSeconds(seconds) : null,
            };
            PruneExpired(now);
            _byAccessToken[token.AccessToken] = token;
            _current[districtIndex] = token;
            return token;
        }
    }

    /// <summary>The district a bearer token may read, or null when it is unknown, revoked or expired.</summary>
    public int? Authenticate(string accessToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _byAccessToken.TryGetValue(accessToken, out var token) && token.IsValidAt(now) ? token.DistrictIndex : null;
        }
    }

    public void Revoke(int districtIndex)
    {
        lock (_gate)
        {
            foreach (var token in _byAccessToken.Values)
            {
                if (token.DistrictIndex == districtIndex) token.Revoked = true;
            }
            _current.Remove(districtIndex);
        }
    }

    // With a lifetime every request mints a token; forget long-dead ones so a long run does not grow without bound.
    private void PruneExpired(DateTimeOffset now)
    {
        if (_byAccessToken.Count < 1024) return;
        foreach (var dead in _byAccessToken.Values.Where(t => t.ExpiresAt < now.AddMinutes(-5)).Select(t => t.AccessToken).ToList())
        {
            _byAccessToken.Remove(dead);
        }
    }

    /// <summary>Whole seconds left, rounded up so a fresh token never reports less than its lifetime.</summary>
    public int? SecondsRemaining(IssuedToken token)
    {
        if (token.ExpiresAt is not DateTimeOffset expires) return null;
        return (int)Math.Max(0, Math.Ceiling((expires - time.GetUtcNow()).TotalSeconds));
    }
}
