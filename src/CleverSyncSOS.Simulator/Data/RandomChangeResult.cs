namespace CleverSyncSOS.Simulator;

/// <summary>What <see cref="SimulatorStore.ApplyRandomChanges"/> did: per user changed, its role and the kind of change.</summary>
public sealed record RandomChangeResult(IReadOnlyList<RandomChange> Changes)
{
    private static readonly (RandomChangeKind Kind, string Text)[] Wording =
    [
        (RandomChangeKind.Added, "added"), (RandomChangeKind.Updated, "updated"),
        (RandomChangeKind.MovedAway, "moved to another school"), (RandomChangeKind.Removed, "removed"),
    ];

    public IReadOnlyList<string> Added => IdsOf(RandomChangeKind.Added);

    /// <summary>Every user edited, moves to another school included.</summary>
    public IReadOnlyList<string> Updated => IdsOf(RandomChangeKind.Updated, RandomChangeKind.MovedAway);

    public IReadOnlyList<string> Removed => IdsOf(RandomChangeKind.Removed);

    public override string ToString() => $"{Added.Count} added, {Updated.Count} updated, {Removed.Count} removed";

    /// <summary>
    /// Per role, in the terms a sync report counts them: a user moved to another school is not "updated" in this
    /// school's database but leaves it (and joins the other school's), so moves are named apart.
    /// e.g. "students: 5 added, 6 updated, 2 moved to another school, 4 removed; teachers: 1 added, 1 updated".
    /// </summary>
    public string Describe()
    {
        var roles = Changes.GroupBy(c => c.Role).OrderBy(g => g.Key == "student" ? 0 : 1).Select(role =>
        {
            var parts = Wording
                .Select(k => (Count: role.Count(c => c.Kind == k.Kind), k.Text))
                .Where(k => k.Count > 0)
                .Select(k => $"{k.Count} {k.Text}");
            return $"{role.Key}s: {string.Join(", ", parts)}";
        });
        return string.Join("; ", roles);
    }

    private List<string> IdsOf(params RandomChangeKind[] kinds) => Changes.Where(c => kinds.Contains(c.Kind)).Select(c => c.UserId).ToList();
}

/// <summary>One user changed by <see cref="SimulatorStore.ApplyRandomChanges"/>; <see cref="Role"/> is "student" or "teacher".</summary>
public sealed record RandomChange(string UserId, string Role, RandomChangeKind Kind);

public enum RandomChangeKind
{
    Added,
    Updated,
    MovedAway,
    Removed,
}
