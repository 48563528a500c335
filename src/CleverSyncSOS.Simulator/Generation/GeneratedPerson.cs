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
/// <param name="SecondSchoolIndex">A second school the user is also listed at (messy data), or -1.</param>
/// <param name="AlsoTeacher">A student who also holds a teacher role at the same school(s) (messy data).</param>
internal readonly record struct GeneratedPerson(PersonKind Kind, int SchoolIndex, bool AlsoStaff, int SecondSchoolIndex = -1, bool AlsoTeacher = false)
{
    public bool IsAt(int schoolIndex) => SchoolIndex == schoolIndex || SecondSchoolIndex == schoolIndex;
}
