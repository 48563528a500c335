namespace CleverSyncSOS.Sync.Entities;

/// <summary>What a read asked Clever for: one school of one district. Every record read is checked against it.</summary>
public sealed record ReadScope(string CleverDistrictId, string CleverSchoolId);
