using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Sync.Planning;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>The decision full / incremental / reconciliation, from history alone.</summary>
public sealed class SyncDecisionTests
{
    private static readonly DateTime Now = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);

    private static EntityHistory Synced(string type, string? cursor = "evt-9", double hoursAgo = 1, double? fullReadHoursAgo = 24) =>
        new(type, Now.AddHours(-hoursAgo), cursor, Now.AddDays(-2), fullReadHoursAgo is { } h ? Now.AddHours(-h) : null);

    private static SyncPlan Decide(bool forceFull = false, bool flagged = false, SyncOptions? options = null, params EntityHistory[] entities) =>
        SyncDecision.Decide(entities, forceFull, flagged, options ?? new SyncOptions(), Now);

    [Fact]
    public void A_school_never_synced_gets_a_full_sync()
    {
        var plan = Decide(entities: [EntityHistory.Never("Student"), EntityHistory.Never("Teacher")]);

        Assert.Equal((SyncType.Full, null), (plan.SyncType, plan.EventCursor));
    }

    [Fact]
    public void A_new_entity_without_history_makes_the_next_sync_full_even_when_the_others_have_cursors()
    {
        Assert.Equal(SyncType.Full, Decide(entities: [Synced("Student"), EntityHistory.Never("Section")]).SyncType);
    }

    [Fact]
    public void Recent_history_with_cursors_gives_an_incremental_sync_from_the_oldest_cursor()
    {
        var plan = Decide(entities: [Synced("Student", "evt-9"), Synced("Teacher", "evt-5")]);

        Assert.Equal((SyncType.Incremental, "evt-5"), (plan.SyncType, plan.EventCursor));
        Assert.Equal(Now.AddDays(-2), plan.LastSyncTimestamps["Teacher"]);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Asked_or_flagged_means_full(bool forceFull, bool flagged)
    {
        Assert.Equal(SyncType.Full, Decide(forceFull, flagged, entities: [Synced("Student")]).SyncType);
    }

    [Fact]
    public void Events_switched_off_in_the_options_means_reconciliation()
    {
        var plan = Decide(options: new SyncOptions { UseEvents = false }, entities: [Synced("Student")]);

        Assert.Equal((SyncType.Reconciliation, null), (plan.SyncType, plan.EventCursor));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_cursor_or_an_empty_one_means_reconciliation(string? cursor)
    {
        Assert.Equal(SyncType.Reconciliation, Decide(entities: [Synced("Student"), Synced("Teacher", cursor)]).SyncType);
    }

    [Fact]
    public void A_cursor_older_than_Clever_keeps_events_means_reconciliation()
    {
        var options = new SyncOptions { EventRetentionDays = 30, ReconciliationIntervalHours = 0 };

        Assert.Equal(SyncType.Incremental, Decide(options: options, entities: [Synced("Student", hoursAgo: 28 * 24)]).SyncType);
        Assert.Equal(SyncType.Reconciliation, Decide(options: options, entities: [Synced("Student", hoursAgo: 29.5 * 24)]).SyncType);
    }

    [Fact]
    public void A_full_read_older_than_the_reconciliation_interval_means_reconciliation_and_zero_turns_it_off()
    {
        var weekly = new SyncOptions { ReconciliationIntervalHours = 168 };
        var never = new SyncOptions { ReconciliationIntervalHours = 0 };

        Assert.Equal(SyncType.Reconciliation, Decide(options: weekly, entities: [Synced("Student", fullReadHoursAgo: 169)]).SyncType);
        Assert.Equal(SyncType.Reconciliation, Decide(options: weekly, entities: [Synced("Student", fullReadHoursAgo: null)]).SyncType);
        Assert.Equal(SyncType.Incremental, Decide(options: never, entities: [Synced("Student", fullReadHoursAgo: 169)]).SyncType);
    }
}
