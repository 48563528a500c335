namespace CleverSyncSOS.Simulator;

/// <summary>A generated district with the app credentials that see it (a snapshot: rotation yields a new record).</summary>
public sealed record SimulatedDistrict(string Id, string Name, string ClientId, string ClientSecret, IReadOnlyList<SimulatedSchool> Schools);

/// <summary>A generated school.</summary>
public sealed record SimulatedSchool(string Id, string DistrictId, string Name);
