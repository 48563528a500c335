namespace CleverSyncSOS.Sync.Entities;

/// <summary>How a full read removes what Clever no longer has, and what the mass-deletion guard measures.</summary>
public enum DeletionRule
{
    /// <summary>The guard compares the records missing with the whole table (students, teachers, sections).</summary>
    WholeTable,

    /// <summary>
    /// The guard compares per group (an enrollment table, grouped by section): a section that loses most of its
    /// students is the classic symptom of a bad SIS export, even when the school as a whole barely changes.
    /// Groups whose parent record is itself gone follow the parent's rule.
    /// </summary>
    PerGroup,
}
