namespace CleverSyncSOS.Sync.Applying;

/// <summary>
/// Decides whether a full read may delete what Clever no longer serves: a removal of more than
/// <see cref="SyncOptions.MassDeletionThresholdPercent"/> of a table (or of one group, such as a section's
/// students), and at least <see cref="SyncOptions.MassDeletionMinimumRecords"/> records, is held for an operator. A read
/// that would empty a whole table is held whatever its size: Clever answering an empty list for a school that had a
/// roster is the hiccup the guard exists for, and a school of 4 teachers deserves the same care as one of 40.
/// </summary>
public static class MassDeletionGuard
{
    public static bool Holds(long missing, long total, SyncOptions options) =>
        total > 0 && missing >= Math.Max(1, options.MassDeletionMinimumRecords) && 100.0 * missing / total > options.MassDeletionThresholdPercent;

    public static bool Empties(long missing, long total) => total > 0 && missing >= total;

    public static double Share(long missing, long total) => total == 0 ? 0 : 100.0 * missing / total;
}
