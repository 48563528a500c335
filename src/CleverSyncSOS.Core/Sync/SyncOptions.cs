using System.ComponentModel.DataAnnotations;

namespace CleverSyncSOS.Sync;

/// <summary>How schools are synced. Bound from <c>CleverSyncSOS:Sync</c>.</summary>
public sealed class SyncOptions
{
    public const string SectionName = "CleverSyncSOS:Sync";

    /// <summary>Schools synced at once.</summary>
    [Range(1, 64)]
    public int MaxParallelSchools { get; set; } = 5;

    /// <summary>
    /// Clever sources (students, teachers, sections...) of one school read at once in a full read. Each source's pages
    /// follow one another (a page's cursor is the one before's last id), so a second source read alongside takes its
    /// pages off the sync's critical path; every request still passes the district token's rate-limit pacing.
    /// </summary>
    [Range(1, 8)]
    public int SourcesReadAtOnce { get; set; } = 2;

    /// <summary>Rows per upsert statement.</summary>
    [Range(1, 5_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Use Clever's Events API for incremental syncs; when off (or events are unavailable) a full read is compared instead.</summary>
    public bool UseEvents { get; set; } = true;

    /// <summary>
    /// Even with events, a full comparison (SyncType Reconciliation) runs when the last full read is older than this,
    /// catching events that were never generated (events switched off in Clever) or lost. 0 turns it off.
    /// </summary>
    [Range(0, 24 * 366)]
    public int ReconciliationIntervalHours { get; set; } = 168;

    /// <summary>How long Clever keeps events; a school last synced longer ago than this (less a day) is compared in full.</summary>
    [Range(2, 365)]
    public int EventRetentionDays { get; set; } = 30;

    /// <summary>A full read that would delete more than this share of a school's students or teachers deletes nothing unless overridden.</summary>
    [Range(0d, 100d)] // double bounds: int bounds make NaN throw instead of failing validation
    public double MassDeletionThresholdPercent { get; set; } = 30;

    /// <summary>The guard ignores removals of fewer records than this (a class of 3 losing 1 is not a mass deletion).</summary>
    [Range(0, 1_000_000)]
    public int MassDeletionMinimumRecords { get; set; } = 10;

    /// <summary>
    /// Events of one district kept in memory for one run (read once, applied to each school). A district with more new
    /// events than this (a start of year) has its incremental syncs compare full reads instead. About 1-2 KB each.
    /// </summary>
    [Range(100, 10_000_000)]
    public int MaxBufferedEvents { get; set; } = 50_000;

    /// <summary>Sync sections, courses, terms and enrollments too (the district's token needs Clever's read:sections scope).</summary>
    public bool SyncSections { get; set; } = true;

    /// <summary>Record every created, changed and deleted record, with old and new values, in the school's own ChangeLog table.</summary>
    public bool ChangeLog { get; set; } = true;

    /// <summary>
    /// PostgreSQL: write batches of at least this many rows go by binary COPY (a staging table and one merge for roster
    /// tables), with the same result as the row path; 0 writes every row by statements.
    /// </summary>
    [Range(0, 1_000_000)]
    public int PostgreSqlCopyMinRows { get; set; } = Writing.PostgreSqlDialect.DefaultCopyMinRows;

    /// <summary>Change-log entries older than this are removed at the next sync of the school; 0 keeps them forever.</summary>
    [Range(0, 3650)]
    public int ChangeLogRetentionDays { get; set; } = 90;
}
