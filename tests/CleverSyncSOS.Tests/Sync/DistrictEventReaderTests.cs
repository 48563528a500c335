using System.Text.Json;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Events;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>
/// Which schools an event of the district's stream is filed under: a school looks only at its own events, so filing
/// one under too few schools would lose a removal there; filing it under every school only costs a look-up.
/// </summary>
public sealed class DistrictEventReaderTests
{
    private static readonly Dictionary<string, CleverSource> Sources = new(StringComparer.Ordinal)
    {
        ["users"] = SyncEntities.StudentUsers,
        ["sections"] = SyncEntities.Sections,
        ["courses"] = SyncEntities.Courses,
    };

    private static DistrictEvent Parse(string type, string data) =>
        DistrictEventReader.Parse(JsonSerializer.Deserialize("""{"id":"e1","type":""" + $"\"{type}\",\"data\":{data}}}", CleverJsonContext.Default.CleverEvent)!, Sources);

    private static string Student(string school) => """{"id":"u1","district":"d1","roles":{"student":{"school":""" + $"\"{school}\",\"schools\":[\"{school}\"]}}}}}}";

    private static string Object(string record, string previous = "") => """{"object":""" + record + previous + "}";

    [Fact]
    public void A_student_who_moved_is_filed_under_the_school_left_from_the_previous_attributes_and_the_school_joined()
    {
        var moved = Parse("users.updated", Object(Student("s2"), ""","previous_attributes":{"roles":{"student":{"school":"s1","schools":["s1"]}}}"""));

        Assert.Equal(["s1", "s2"], moved.Schools!.Order());
    }

    [Fact]
    public void An_edit_that_changed_no_school_and_a_creation_are_filed_under_the_schools_the_record_names()
    {
        Assert.Equal(["s1"], Parse("users.updated", Object(Student("s1"), ""","previous_attributes":{"name":{"last":"Byron"}}""")).Schools);
        Assert.Equal(["s3"], Parse("users.created", Object(Student("s3"))).Schools);
    }

    [Fact]
    public void An_event_whose_former_schools_cannot_be_told_is_filed_under_every_school()
    {
        // An update without previous attributes, a deletion that carries only the id, a course (it names no school).
        Assert.Null(Parse("users.updated", Object(Student("s2"))).Schools);
        Assert.Null(Parse("users.deleted", """{"object":{"id":"u1"}}""").Schools);
        Assert.Null(Parse("courses.updated", """{"object":{"id":"c1","district":"d1","name":"Algebra"}}""").Schools);
    }

    [Fact]
    public void An_event_no_school_applies_is_filed_under_none()
    {
        Assert.Empty(Parse("contacts.created", """{"object":{"id":"x1"}}""").Schools!);
    }
}
