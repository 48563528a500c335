namespace CleverSyncSOS.Simulator.Data;

/// <summary>
/// Users in ascending counter (= id) order. Counters only grow, so adding is an append; removal
/// leaves a tombstone (cheap even in a million-user list) and the list is compacted once half of it is dead.
/// Not thread-safe: used under the store lock.
/// </summary>
internal sealed class UserIndex
{
    private readonly List<UserRecord> _records = [];
    private int _removed;

    public IReadOnlyList<UserRecord> Records => _records;

    public int LiveCount => _records.Count - _removed;

    public void Append(UserRecord record)
    {
        if (_records.Count > 0 && _records[^1].Counter >= record.Counter) throw new InvalidOperationException("User counters must be ascending.");
        _records.Add(record);
    }

    public UserRecord? Find(long counter)
    {
        var i = Pager.FirstIndexAbove(_records, r => r.Counter, counter - 1);
        return i < _records.Count && _records[i].Counter == counter && !_records[i].Removed ? _records[i] : null;
    }

    public void MarkRemoved(UserRecord record)
    {
        if (record.Removed) return;
        record.Removed = true;
        _removed++;
        if (_removed > 1024 && _removed * 2 > _records.Count)
        {
            _records.RemoveAll(r => r.Removed);
            _removed = 0;
        }
    }
}
