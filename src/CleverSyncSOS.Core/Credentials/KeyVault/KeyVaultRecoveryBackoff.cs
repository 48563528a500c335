namespace CleverSyncSOS.Credentials.KeyVault;

/// <summary>How long the background recovery loop waits between attempts: doubling from <see cref="Initial"/> up to <see cref="Max"/>.</summary>
internal sealed record KeyVaultRecoveryBackoff(TimeSpan Initial, TimeSpan Max)
{
    public static KeyVaultRecoveryBackoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    /// <param name="attempt">1 for the first attempt.</param>
    public TimeSpan DelayBefore(int attempt)
    {
        // Cap the exponent first so the doubling cannot overflow during a long outage.
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = Initial.TotalMilliseconds * factor;
        return TimeSpan.FromMilliseconds(Math.Min(delay, Max.TotalMilliseconds));
    }
}
