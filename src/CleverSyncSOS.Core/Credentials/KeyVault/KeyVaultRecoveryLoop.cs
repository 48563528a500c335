namespace CleverSyncSOS.Credentials.KeyVault;

/// <summary>
/// Probes Key Vault in the background with exponential backoff until it answers again, so an outage is noticed
/// as over without any caller having to wait on a dead vault. At most one loop runs at a time.
/// </summary>
internal sealed class KeyVaultRecoveryLoop(
    Func<CancellationToken, Task<bool>> probe,
    Func<bool> isHealthy,
    KeyVaultRecoveryBackoff backoff,
    TimeProvider time) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private bool _running;
    private bool _disposed;

    /// <summary>Starts the loop unless it is already running.</summary>
    public void EnsureRunning()
    {
        lock (_gate)
        {
            if (_running || _disposed)
            {
                return;
            }

            _running = true;
            var stopping = _stopping.Token;
            _ = Task.Run(() => RunAsync(stopping), CancellationToken.None);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            for (var attempt = 1; !isHealthy(); attempt++)
            {
                await Task.Delay(backoff.DelayBefore(attempt), time, stopping);
                if (await probe(stopping))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            lock (_gate)
            {
                _running = false;
            }
        }

        // A failure recorded between the last probe and the end of the loop found the loop still "running"
        // and did not start another: pick it up here.
        if (!isHealthy())
        {
            EnsureRunning();
        }
    }
}
