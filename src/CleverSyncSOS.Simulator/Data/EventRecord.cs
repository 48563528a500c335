namespace CleverSyncSOS.Simulator.Data;

/// <summary>A recorded event, serialized once when it happens (events are immutable snapshots).</summary>
internal sealed record EventRecord(long Counter, string Id, int DistrictIndex, string RecordType, string[] SchoolIds, byte[] Json)
{
    public bool Matches(int districtIndex, string? school, IReadOnlyCollection<string> recordTypes) =>
        DistrictIndex == districtIndex
        && (school is null || Array.IndexOf(SchoolIds, school) >= 0)
        && (recordTypes.Count == 0 || recordTypes.Contains(RecordType));
}
