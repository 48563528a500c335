using CleverSyncSOS.Sync.Changes;

namespace CleverSyncSOS.Sync.Applying;

/// <summary>
/// How an apply step treats the school's tables: writes them (logging every record change when
/// <see cref="ChangeLog"/> is set), or, for a dry run, only reads them and reports what it would have written.
/// </summary>
public sealed record ApplyMode(bool AllowMassDelete, bool DryRun = false, ChangeLogWriter? ChangeLog = null)
{
    /// <summary>Whether each record's change is worked out (read before written): for the change log and for dry runs.</summary>
    public bool TracksChanges => DryRun || ChangeLog is not null;
}
