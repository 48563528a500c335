namespace CleverSyncSOS.Simulator.Generation;

/// <summary>A generated district; only the client secret changes after generation (rotation).</summary>
internal sealed class DistrictState
{
    public required int Index { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Domain { get; init; }
    public required string ClientId { get; init; }
    public required string ClientSecret { get; set; }

    /// <summary>The district object as Clever serves it; immutable, so it is serialized once at generation.</summary>
    public byte[] Json { get; set; } = [];

    public List<SchoolState> Schools { get; } = [];
}

/// <summary>A generated school (immutable after generation).</summary>
internal sealed class SchoolState
{
    public required int Index { get; init; }
    public required long Counter { get; init; }
    public required int DistrictIndex { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>Index into <see cref="Grades.Names"/>; students are generated within [Low, High].</summary>
    public required int LowGrade { get; init; }

    public required int HighGrade { get; init; }
    public required byte[] Json { get; init; }
}
