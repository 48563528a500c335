namespace CleverSyncSOS.Simulator.Generation;

internal enum PersonKind : byte
{
    Student,
    Teacher,
}

/// <summary>
/// The compact form of a generated, never-modified user: everything else is derived from
/// (seed, user counter) by <see cref="GeneratedUserWriter"/> when the user is served.
/// </summary>
internal readonly record struct GeneratedPerson(PersonKind Kind, int SchoolIndex, bool AlsoStaff);
