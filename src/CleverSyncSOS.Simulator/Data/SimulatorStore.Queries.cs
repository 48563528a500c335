using CleverSyncSOS.Simulator.Data;

namespace CleverSyncSOS.Simulator;

/// <summary>Outcome of an events query: a page, or the cursor event is unknown / out of retention.</summary>
internal sealed record EventQueryResult(PageResult<EventRecord>? Page)
{
    public bool CursorNotFound => Page is null;
}

// Read paths used by the HTTP endpoints. They copy what a page needs under the lock and return,
// so the (possibly large) response is written without blocking writers.
public sealed partial class SimulatorStore
{
    internal PageResult<UserSnapshot> QueryUsers(UserFilter filter, PageRequest request)
    {
        lock (_gate)
        {
            var page = Pager.Take(_users.Records, static u => u.Counter, filter.Matches, request);
            var snapshots = new List<UserSnapshot>(page.Items.Count);
            foreach (var user in page.Items) snapshots.Add(user.Snapshot());
            return new PageResult<UserSnapshot>(snapshots, page.HasPrev, page.HasNext);
        }
    }

    internal UserSnapshot? FindUser(string id, int districtIndex)
    {
        lock (_gate)
        {
            var user = FindLocked(id);
            return user is not null && user.DistrictIndex == districtIndex ? user.Snapshot() : null;
        }
    }

    /// <param name="cursorId">The starting_after / ending_before event id, which must still be retained and visible.</param>
    internal EventQueryResult QueryEvents(int districtIndex, string? school, IReadOnlyCollection<string> recordTypes, PageRequest request, string? cursorId)
    {
        lock (_gate)
        {
            if (cursorId is not null)
            {
                var cursor = Ids.TryParse(IdKind.Event, cursorId) is long counter ? _events.Find(counter) : null;
                if (cursor is null || cursor.DistrictIndex != districtIndex) return new EventQueryResult(null);
            }
            return new EventQueryResult(Pager.Take(_events.Events, static e => e.Counter, e => e.Matches(districtIndex, school, recordTypes), request));
        }
    }

    internal EventRecord? FindEvent(string id, int districtIndex)
    {
        lock (_gate)
        {
            var found = Ids.TryParse(IdKind.Event, id) is long counter ? _events.Find(counter) : null;
            return found is not null && found.DistrictIndex == districtIndex ? found : null;
        }
    }
}
