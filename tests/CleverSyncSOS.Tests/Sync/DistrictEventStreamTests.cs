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

        Assert.Equal(["e2", "e3", "e4"], stream.After("e1", "s1")!.Select(e => e.Id));
        Assert.Equal(["e4"], stream.After("e3", "s1")!.Select(e => e.Id));
        Assert.Empty(stream.After("e4", "s1")!);
    }

    [Fact]
    public void A_school_gets_only_the_events_that_may_concern_it_and_those_that_may_concern_any_school_in_stream_order()
    {
        DistrictEvent[] events =
        [
            new("e2", "users", "updated", null, ["s1", "s2"]), // a move from s1 to s2
            new("e3", "users", "created", null, ["s3"]),
            new("e4", "courses", "updated", null, null), // a course: any school may hold it
            new("e5", "users", "deleted", null, ["s1"]),
            new("e6", "contacts", "created", null, []), // no school applies it
        ];
        var stream = new DistrictEventStream("e1", "e6", events, overflowed: false, read: 5);

        Assert.Equal(["e2", "e4", "e5"], stream.After("e1", "s1")!.Select(e => e.Id));
        Assert.Equal(["e4", "e5"], stream.After("e2", "s1")!.Select(e => e.Id));
        Assert.Equal(["e2", "e4"], stream.After("e1", "s2")!.Select(e => e.Id));
        Assert.Equal(["e4"], stream.After("e1", "s9")!.Select(e => e.Id));
        Assert.Empty(stream.After("e4", "s2")!);
        Assert.Empty(stream.After("e6", "s1")!);
    }

    [Fact]
    public void A_cursor_outside_the_stream_or_an_overflowed_stream_gives_no_answer_rather_than_a_guess()
    {
        Assert.Null(new DistrictEventStream("e1", "e4", Events, overflowed: false, read: 3).After("e0", "s1"));
        Assert.Null(new DistrictEventStream("e1", "e4", Events, overflowed: false, read: 3).After("e9", "s1"));
        Assert.Null(new DistrictEventStream("e1", "e4", [], overflowed: true, read: 60_000).After("e1", "s1"));
    }
}
