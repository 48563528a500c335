using System.Net;
using System.Text.Json;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Tests.Simulator;

/// <summary>The simulator's harsh defaults, each seen over HTTP as a client would meet it.</summary>
public sealed class HarshReadingsTests : IAsyncLifetime
{
    private CleverSimulator _sim = null!;
    private HttpClient _http = null!;
    private string _token = "";

    private SimulatedSchool School => _sim.Districts[0].Schools[0];

    public async Task InitializeAsync()
    {
        _sim = await CleverSimulator.StartAsync(new SimulatorOptions { Districts = 2, SchoolsPerDistrict = 2, StudentsPerSchool = 60, TeachersPerSchool = 40 });
        _http = SimulatorHttp.Client(_sim);
        _token = await SimulatorHttp.GetTokenAsync(_http, _sim.Districts[0]);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task Next_links_carry_only_the_cursor_and_the_last_page_links_to_an_empty_one()
    {
        var first = await SimulatorHttp.GetAsync(_http, $"v3.0/schools/{School.Id}/users?role=student&limit=50", _token);
        var next = SimulatorHttp.Link(first.Json, "next")!;
        Assert.DoesNotContain("role=", next);
        Assert.DoesNotContain("limit=", next);

        var last = await SimulatorHttp.GetAsync(_http, $"v3.0/schools/{School.Id}/users?role=student&limit=100", _token);
        var beyond = await SimulatorHttp.GetAsync(_http, SimulatorHttp.Link(last.Json, "next")! + "&role=student", _token);
        Assert.Empty(beyond.Json.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Answers_carry_no_rate_limit_headers()
    {
        var response = await SimulatorHttp.GetAsync(_http, "v3.0/schools", _token);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Null(response.Header("X-Ratelimit-Limit"));
        Assert.Null(response.Header("X-Ratelimit-Reset"));
    }

    [Fact]
    public async Task Ending_before_last_and_unknown_parameters_are_refused_with_an_HTML_page()
    {
        var last = await SimulatorHttp.GetAsync(_http, "v3.0/events?ending_before=last&limit=1", _token);
        var unknown = await SimulatorHttp.GetAsync(_http, "v3.0/schools?updated_since=2024-01-01", _token);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (last.Status, unknown.Status));
        Assert.StartsWith("text/html", unknown.ContentType);
    }

    [Fact]
    public async Task An_expired_cursor_answers_200_from_the_oldest_kept_event()
    {
        var gone = _sim.Store.AddStudent(School.Id);
        var cursor = _sim.Store.NewestEventId!;
        _sim.Store.ExpireEvents();
        var kept = _sim.Store.AddStudent(School.Id);

        var page = await SimulatorHttp.GetAsync(_http, $"v3.0/events?starting_after={cursor}", _token);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var ids = page.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("data").GetProperty("data").GetProperty("object").GetProperty("id").GetString()).ToList();
        Assert.Equal([kept], ids);
        Assert.DoesNotContain(gone, ids);
    }

    [Fact]
    public async Task A_deleted_user_event_carries_only_the_id()
    {
        var gone = _sim.Store.GetUserIds(School.Id, "student")[4];
        _sim.Store.RemoveUser(gone);

        var page = await SimulatorHttp.GetAsync(_http, "v3.0/events?record_type=users", _token);

        var deleted = page.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("data")).Single(e => e.GetProperty("type").GetString() == "users.deleted");
        var user = deleted.GetProperty("data").GetProperty("object");
        Assert.Equal(gone, user.GetProperty("id").GetString());
        Assert.Single(user.EnumerateObject());
    }

    [Fact]
    public async Task A_revoked_token_is_answered_403()
    {
        _sim.Store.RevokeTokens(_sim.Districts[0].Id);

        var response = await SimulatorHttp.GetAsync(_http, "v3.0/schools", _token);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
    }

    [Fact]
    public async Task One_application_gets_a_token_per_district_whatever_district_it_asks_for()
    {
        var district = _sim.Districts[1];
        Assert.Equal((_sim.Districts[0].ClientId, _sim.Districts[0].ClientSecret), (district.ClientId, district.ClientSecret));

        var tokens = await SimulatorHttp.GetTokensAsync(_http, district.ClientId, district.ClientSecret, $"?owner_type=district&district={district.Id}");

        var owners = tokens.Json.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("owner").GetProperty("id").GetString()).ToList();
        Assert.Equal(_sim.Districts.Select(d => d.Id), owners);
    }

    [Fact]
    public async Task Generated_users_are_messy_teachers_without_email_users_in_two_schools_students_who_teach()
    {
        var (teachers, _) = await SimulatorHttp.GetAllAsync(_http, $"v3.0/schools/{School.Id}/users?role=teacher&limit=100", _token);
        var (students, _) = await SimulatorHttp.GetAllAsync(_http, $"v3.0/schools/{School.Id}/users?role=student&limit=100", _token);
        var everyone = teachers.Concat(students).ToList();

        Assert.Contains(teachers, t => !t.TryGetProperty("email", out _));
        Assert.Contains(teachers, t => t.GetProperty("roles").TryGetProperty("student", out _));
        Assert.Contains(everyone, u => u.GetProperty("roles").EnumerateObject().Any(r => r.Value.TryGetProperty("schools", out var s) && s.GetArrayLength() == 2));
        Assert.Contains(students, s => s.GetProperty("roles").GetProperty("student").GetProperty("grade").GetString() == "");
        Assert.Contains(students, s => !s.GetProperty("roles").GetProperty("student").TryGetProperty("graduation_year", out _));
        Assert.All(everyone, u => Assert.Equal(JsonValueKind.String, u.GetProperty("id").ValueKind));
    }
}
