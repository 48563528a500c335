namespace CleverSyncSOS.Persistence.Session;

/// <summary>
/// Not in the seed: a record a sync skipped (its SyncHistory row counts it in <see cref="SyncHistory.RecordsFailed"/>), with
/// its Clever id and why. Only the id and the reason (a field name, a length, a scope), never a value: the roster's values
/// are children's data and stay in the school's database. At most <see cref="Sync.FailedRecord.KeptPerEntity"/> per row.
/// </summary>
public class SyncFailedRecord
{
    public long Id { get; set; }
    public int SyncId { get; set; }
    public required string CleverId { get; set; }
    public required string Reason { get; set; }
}
