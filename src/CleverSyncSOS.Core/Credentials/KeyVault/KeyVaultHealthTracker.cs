namespace CleverSyncSOS.Credentials.KeyVault;

/// <summary>
/// The store's health, changed atomically so that exactly one caller sees each transition (and logs it once).
/// </summary>
internal sealed class KeyVaultHealthTracker(TimeProvider time)
{
    private readonly Lock _gate = new();
    private SecretStoreHealth _current = new(IsHealthy: true, LastSuccessAt: null, LastError: null, LastCheckedAt: null);

    public SecretStoreHealth Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public bool IsHealthy => Current.IsHealthy;

    /// <returns>True when this success ended an outage.</returns>
    public bool RecordSuccess()
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            var recovered = !_current.IsHealthy;
            _current = new SecretStoreHealth(IsHealthy: true, LastSuccessAt: now, LastError: null, LastCheckedAt: now);
            return recovered;
        }
    }

    /// <returns>True when this failure started an outage.</returns>
    public bool RecordFailure(string error)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            var started = _current.IsHealthy;
            _current = _current with { IsHealthy = false, LastError = error, LastCheckedAt = now };
            return started;
        }
    }
}
