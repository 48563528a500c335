using CleverSyncSOS.Simulator.Data;

namespace CleverSyncSOS.Simulator.Generation;

/// <summary>The immutable parts of a generated roster that user generation needs.</summary>
internal sealed class RosterContext(ObjectIds ids, ulong seedHash, NamePool names, IReadOnlyList<DistrictState> districts, IReadOnlyList<SchoolState> schools)
{
    public ObjectIds Ids { get; } = ids;
    public ulong SeedHash { get; } = seedHash;
    public NamePool Names { get; } = names;
    public IReadOnlyList<DistrictState> Districts { get; } = districts;
    public IReadOnlyList<SchoolState> Schools { get; } = schools;

    /// <summary>Generate users as messy as real ones (<see cref="SimulatorOptions.MessyData"/>).</summary>
    public bool Messy { get; init; }
}
