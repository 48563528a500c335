using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Tests.Simulator;

public sealed class EventsTests : IAsyncLifetime
{
    private CleverSimulator _sim = null!;
    private HttpClient _http = null!;
    private string _token = "";

    private SimulatorStore Store => _sim.Store;
    private SimulatedSchool School => _sim.Districts[0].Schools[0];

    public async Task InitializeAsync()
    {
        _sim = await CleverSimulator.StartAsync(new SimulatorOptions { SchoolsPerDistrict = 2, StudentsPerSchool = 50, TeachersPerSchool = 5 }.Kinder());
        _http = SimulatorHttp.Client(_sim);
        _token = await SimulatorHttp.GetTokenAsync(_http, _sim.Districts[0]);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    private async Task<JsonElement> EventsAsync(string query = "")
    {
        var response = await SimulatorHttp.GetAsync(_http, "v3.0/events" + query, _token);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json;
    }

    private static List<JsonElement> Events(JsonElement envelope) =>
        envelope.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("data")).ToList();

    [Fact]
    public async Task The_initial_roster_creates_no_events()
    {
        Assert.Empty(Events(await EventsAsync()));
        Assert.Empty(Events(await EventsAsync("?ending_before=last&limit=1")));
    }

    [Fact]
    public async Task Add_update_and_remove_produce_created_updated_deleted_in_ascending_order()
    {
        var id = Store.AddStudent(School.Id);
        var before = Store.GetUser(id)!;
        Store.UpdateUser(id, new JsonObject { ["name"] = new JsonObject { ["last"] = "Changed" } });
        Store.RemoveUser(id);

        var events = Events(await EventsAsync());

        Assert.Equal(["users.created", "users.updated", "users.deleted"], events.Select(e => e.GetProperty("type").GetString()));
        var eventIds = events.Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.True(eventIds.SequenceEqual(eventIds.Order(StringComparer.Ordinal)), "event ids must ascend");
        Assert.True(string.CompareOrdinal(eventIds[0], id) > 0, "event ids sort after user ids");
        Assert.All(events, e => Assert.Equal(id, e.GetProperty("data").GetProperty("object").GetProperty("id").GetString()));

        var updated = events[1].GetProperty("data");
        Assert.Equal("Changed", updated.GetProperty("object").GetProperty("name").GetProperty("last").GetString());
        Assert.Equal(before["name"]!["last"]!.GetValue<string>(), updated.GetProperty("previous_attributes").GetProperty("name").GetProperty("last").GetString());
        Assert.False(events[0].GetProperty("data").TryGetProperty("previous_attributes", out _));

        var deleted = events[2].GetProperty("data").GetProperty("object");
        Assert.Equal("Changed", deleted.GetProperty("name").GetProperty("last").GetString());
        Assert.Equal(School.Id, deleted.GetProperty("roles").GetProperty("student").GetProperty("school").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await SimulatorHttp.GetAsync(_http, $"v3.0/users/{id}", _token)).Status);
    }

    [Fact]
    public async Task Update_bumps_last_modified()
    {
        var id = Store.GetUserIds(School.Id, "student")[0];
        var before = Store.GetUser(id)!["last_modified"]!.GetValue<string>();

        Store.UpdateUser(id, new JsonObject { ["email"] = "new.address@example.org" });

        var after = (await SimulatorHttp.GetAsync(_http, $"v3.0/users/{id}", _token)).Json.GetProperty("data");
        Assert.Equal("new.address@example.org", after.GetProperty("email").GetString());
        Assert.True(string.CompareOrdinal(after.GetProperty("last_modified").GetString(), before) > 0);
    }

    [Fact]
    public async Task Starting_after_returns_only_newer_events()
    {
        Store.AddStudent(School.Id);
        var cursor = Events(await EventsAsync("?ending_before=last&limit=1")).Single().GetProperty("id").GetString();
        var second = Store.AddStudent(School.Id);
        var third = Store.AddTeacher(School.Id);

        var page = await EventsAsync($"?starting_after={cursor}");

        Assert.Equal([second, third], Events(page).Select(e => e.GetProperty("data").GetProperty("object").GetProperty("id").GetString()));
        Assert.Null(SimulatorHttp.Link(page, "next"));
    }

    [Fact]
    public async Task Ending_before_last_returns_the_newest_events()
    {
        for (var i = 0; i < 5; i++) Store.AddStudent(School.Id);

        var newest = Events(await EventsAsync("?ending_before=last&limit=2"));
        var all = Events(await EventsAsync());

        Assert.Equal(all.TakeLast(2).Select(e => e.GetProperty("id").GetString()), newest.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(Store.NewestEventId, newest[^1].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Events_page_with_next_links()
    {
        for (var i = 0; i < 7; i++) Store.AddStudent(School.Id);

        var (items, pages) = await SimulatorHttp.GetAllAsync(_http, "v3.0/events?limit=3", _token);

        Assert.Equal(7, items.Count);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_cursor_out_of_retention_is_404()
    {
        Store.AddStudent(School.Id);
        var cursor = Store.NewestEventId;

        Store.ExpireEvents();
        Store.AddStudent(School.Id);

        var response = await SimulatorHttp.GetAsync(_http, $"v3.0/events?starting_after={cursor}", _token);
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.True(response.Json.TryGetProperty("message", out _));
    }

    [Fact]
    public async Task An_unknown_cursor_is_404()
    {
        var response = await SimulatorHttp.GetAsync(_http, "v3.0/events?starting_after=66a000000000000000000999", _token);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Fact]
    public async Task By_default_the_school_filter_lists_a_move_under_the_new_school_only()
    {
        await using var sim = await CleverSimulator.StartAsync(new SimulatorOptions { SchoolsPerDistrict = 2, StudentsPerSchool = 20, TeachersPerSchool = 2, MessyData = false });
        using var http = SimulatorHttp.Client(sim);
        var token = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);
        var (from, to) = (sim.Districts[0].Schools[0].Id, sim.Districts[0].Schools[1].Id);
        var mover = sim.Store.GetUserIds(from, "student")[0];
        sim.Store.UpdateUser(mover, new JsonObject { ["roles"] = new JsonObject { ["student"] = new JsonObject { ["school"] = to, ["schools"] = new JsonArray(to) } } });

        async Task<int> CountAsync(string school) =>
            (await SimulatorHttp.GetAsync(http, $"v3.0/events?school={school}", token)).Json.GetProperty("data").GetArrayLength();

        Assert.Equal(0, await CountAsync(from));
        Assert.Equal(1, await CountAsync(to));
    }

    [Fact]
    public async Task School_filter_keeps_events_of_that_school_including_moves_out()
    {
        var other = _sim.Districts[0].Schools[1].Id;
        var inFirst = Store.AddStudent(School.Id);
        var inOther = Store.AddStudent(other);
        var mover = Store.GetUserIds(School.Id, "student")[0];
        Store.UpdateUser(mover, new JsonObject { ["roles"] = new JsonObject { ["student"] = new JsonObject { ["school"] = other, ["schools"] = new JsonArray(other) } } });

        var first = Events(await EventsAsync($"?school={School.Id}")).Select(e => e.GetProperty("data").GetProperty("object").GetProperty("id").GetString()).ToList();
        var second = Events(await EventsAsync($"?school={other}")).Select(e => e.GetProperty("data").GetProperty("object").GetProperty("id").GetString()).ToList();

        Assert.Equal([inFirst, mover], first);
        Assert.Equal([inOther, mover], second);
    }

    [Fact]
    public async Task Record_type_filter_matches_the_type_prefix()
    {
        Store.AddStudent(School.Id);

        Assert.Single(Events(await EventsAsync("?record_type=users")));
        Assert.Empty(Events(await EventsAsync("?record_type=sections")));
        Assert.Single(Events(await EventsAsync("?record_type=sections&record_type=users")));
    }

    [Fact]
    public async Task Single_event_is_served_by_id()
    {
        Store.AddStudent(School.Id);
        var id = Store.NewestEventId;

        var json = (await SimulatorHttp.GetAsync(_http, $"v3.0/events/{id}", _token)).Json;

        Assert.Equal(id, json.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("users.created", json.GetProperty("data").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Random_changes_record_one_event_per_change()
    {
        var result = Store.ApplyRandomChanges(School.Id, adds: 4, edits: 6, removes: 3, seed: 7);

        var events = Events(await EventsAsync());
        Assert.Equal((4, 6, 3), (result.Added.Count, result.Updated.Count, result.Removed.Count));
        Assert.Equal(4, events.Count(e => e.GetProperty("type").GetString() == "users.created"));
        Assert.Equal(6, events.Count(e => e.GetProperty("type").GetString() == "users.updated"));
        Assert.Equal(result.Removed.Order(), events.Where(e => e.GetProperty("type").GetString() == "users.deleted").Select(e => e.GetProperty("data").GetProperty("object").GetProperty("id").GetString()).Order());
        Assert.All(events.Where(e => e.GetProperty("type").GetString() == "users.updated"), e => Assert.True(e.GetProperty("data").GetProperty("previous_attributes").EnumerateObject().Any()));
        Assert.Empty(result.Updated.Intersect(result.Removed));
    }

    [Fact]
    public async Task Keep_only_fraction_removes_users_silently_unless_asked_for_events()
    {
        var before = Store.GetUserIds(School.Id, "student").Count;

        var removed = Store.KeepOnlyFraction(School.Id, "student", 0.2);

        Assert.Equal(40, removed);
        Assert.Equal(before - 40, Store.GetUserIds(School.Id, "student").Count);
        Assert.Empty(Events(await EventsAsync()));

        var removedWithEvents = Store.KeepOnlyFraction(School.Id, "student", 0.5, withEvents: true);
        Assert.Equal(5, removedWithEvents);
        Assert.Equal(5, Events(await EventsAsync()).Count(e => e.GetProperty("type").GetString() == "users.deleted"));
    }
}

public sealed class DisabledEventsTests
{
    [Fact]
    public async Task With_events_disabled_changes_record_nothing()
    {
        await using var sim = await CleverSimulator.StartAsync(new SimulatorOptions { SchoolsPerDistrict = 1, StudentsPerSchool = 10, TeachersPerSchool = 1, EventsEnabled = false }.Kinder());
        using var http = SimulatorHttp.Client(sim);
        var token = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);

        var added = sim.Store.AddStudent(sim.Districts[0].Schools[0].Id);
        sim.Store.ApplyRandomChanges(sim.Districts[0].Schools[0].Id, 2, 2, 2, seed: 1);

        var events = (await SimulatorHttp.GetAsync(http, "v3.0/events", token)).Json;
        Assert.Empty(events.GetProperty("data").EnumerateArray());
        Assert.Equal(0, sim.Store.EventCount);
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(http, $"v3.0/users/{added}", token)).Status);
    }
}
