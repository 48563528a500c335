using System.Collections.Concurrent;

namespace CleverSyncSOS.Authentication;

/// <summary>Keeps the latest <see cref="AuthenticationHealthStatus"/> of every district, fed by the token provider.</summary>
public sealed class AuthenticationHealthTracker(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, AuthenticationHealthStatus> _statuses = new(StringComparer.Ordinal);

    public IReadOnlyCollection<AuthenticationHealthStatus> All => _statuses.Values.OrderBy(s => s.CleverDistrictId, StringComparer.Ordinal).ToList();

    public AuthenticationHealthStatus? Get(string cleverDistrictId) => _statuses.GetValueOrDefault(cleverDistrictId);

    public void RecordSuccess(string cleverDistrictId) => Update(cleverDistrictId, s => s with
    {
        IsHealthy = true,
        LastSuccessTimestamp = Now,
        ErrorCount = 0,
        FailureCounted = false,
        UsingCachedToken = false,
        LastCheckedAt = Now,
    });

    public void RecordFailure(string cleverDistrictId, string message, bool transient, bool usingCachedToken) => Update(cleverDistrictId, s => s with
    {
        LastFailureTransient = transient,
        IsHealthy = false,
        LastErrorMessage = message,
        ErrorCount = s.FailureCounted ? s.ErrorCount : s.ErrorCount + 1,
        FailureCounted = false,
        UsingCachedToken = usingCachedToken,
        LastCheckedAt = Now,
    });

    /// <summary>
    /// A failed attempt that will be retried: the acquisition counts as failed at once (ErrorCount still counts
    /// acquisitions, not attempts), keeping whether a cached token is still in use.
    /// </summary>
    public void RecordRetry(string cleverDistrictId, string message) => Update(cleverDistrictId, s => s with
    {
        LastFailureTransient = true,
        IsHealthy = false,
        LastErrorMessage = message,
        ErrorCount = s.FailureCounted ? s.ErrorCount : s.ErrorCount + 1,
        FailureCounted = true,
        LastCheckedAt = Now,
    });

    public void RecordCircuit(string cleverDistrictId, bool open) => Update(cleverDistrictId, s => s with { CircuitOpen = open });

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private void Update(string id, Func<AuthenticationHealthStatus, AuthenticationHealthStatus> change) =>
        _statuses.AddOrUpdate(id, key => change(new AuthenticationHealthStatus { CleverDistrictId = key }), (_, current) => change(current));
}
