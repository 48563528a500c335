namespace CleverSyncSOS.Persistence.Session;

public enum SyncType
{
    /// <summary>Complete refresh (new school, beginning of year).</summary>
    Full = 1,

    /// <summary>Changes only (routine sync during the year).</summary>
    Incremental = 2,

    /// <summary>Data integrity validation.</summary>
    Reconciliation = 3,

    /// <summary>An operator took a run back from the change log (<c>cleversync undo</c>).</summary>
    Undo = 4,
}
