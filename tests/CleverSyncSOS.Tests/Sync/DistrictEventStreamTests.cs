using CleverSyncSOS.Sync.Events;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>What a school finds in its district's stream: the events after its own cursor, or "cannot say", never a guess.</summary>
public sealed class DistrictEventStreamTests
{
    private static readonly DistrictEvent[] Events =
    [
        new("e2", "users", "updated", null),
        new("e3", "contacts", "created", null), // a type no entity syncs still marks a position
        new("e4", "sections", "updated", null),
    ];

    [Fact]
    public void A_school_gets_the_events_after_its_own_cursor()
    {
        var stream = new DistrictEventStream("e1", "e4", Events, overflowed: false, read: 3);

        Assert.Equal(["e2", "e3", "e4"], stream.After("e1")!.Select(e => e.Id));
        Assert.Equal(["e4"], stream.After("e3")!.Select(e => e.Id));
        Assert.Empty(stream.After("e4")!);
    }

    [Fact]
    public void A_cursor_outside_the_stream_or_an_overflowed_stream_gives_no_answer_rather_than_a_guess()
    {
        Assert.Null(new DistrictEventStream("e1", "e4", Events, overflowed: false, read: 3).After("e0"));
        Assert.Null(new DistrictEventStream("e1", "e4", Events, overflowed: false, read: 3).After("e9"));
        Assert.Null(new DistrictEventStream("e1", "e4", [], overflowed: true, read: 60_000).After("e1"));
    }
}
