namespace CleverSyncSOS.Simulator;

/// <summary>What <see cref="SimulatorStore.ApplyRandomChanges"/> did, by user id.</summary>
public sealed record RandomChangeResult(IReadOnlyList<string> Added, IReadOnlyList<string> Updated, IReadOnlyList<string> Removed)
{
    public override string ToString() => $"{Added.Count} added, {Updated.Count} updated, {Removed.Count} removed";
}
