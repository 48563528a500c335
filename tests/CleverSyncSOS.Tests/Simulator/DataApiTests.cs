using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Tests.Simulator;

/// <summary>A default-sized, two-district simulator shared by read-only data API tests.</summary>
public sealed class TwoDistrictSimulator : IAsyncLifetime
{
    public CleverSimulator Sim { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string Token { get; private set; } = "";
    public string OtherToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Sim = await CleverSimulator.StartAsync(new SimulatorOptions { Districts = 2 }.Kinder());
        Http = SimulatorHttp.Client(Sim);
        Token = await SimulatorHttp.GetTokenAsync(Http, Sim.Districts[0]);
        OtherToken = await SimulatorHttp.GetTokenAsync(Http, Sim.Districts[1]);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Sim.DisposeAsync();
    }
}

public sealed class DataApiTests(TwoDistrictSimulator fixture) : IClassFixture<TwoDistrictSimulator>
{
    private HttpClient Http => fixture.Http;
    private SimulatedDistrict District => fixture.Sim.Districts[0];

    [Fact]
    public async Task Missing_bearer_token_is_401_with_message()
    {
        var response = await SimulatorHttp.GetAsync(Http, "v3.0/users", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Unauthorized", response.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Unknown_bearer_token_is_401()
    {
        var response = await SimulatorHttp.GetAsync(Http, "v3.0/users", new string('a', 40));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task Paging_students_follows_next_to_the_end_without_gaps_or_duplicates()
    {
        var (items, pages) = await SimulatorHttp.GetAllAsync(Http, "/v3.0/users?role=student&limit=100", fixture.Token);

        var ids = items.Select(u => u.GetProperty("id").GetString()!).ToList();
        var expected = District.Schools.SelectMany(s => fixture.Sim.Store.GetUserIds(s.Id, "student")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(900, expected.Count);
        Assert.Equal(9, pages);
        Assert.Equal(expected, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.SequenceEqual(ids.Order(StringComparer.Ordinal)), "ids must be ascending");
        Assert.All(items, u => Assert.True(u.GetProperty("roles").TryGetProperty("student", out _)));
    }

    [Fact]
    public async Task Next_link_keeps_role_and_limit_and_is_absent_on_the_last_page()
    {
        var first = (await SimulatorHttp.GetAsync(Http, "v3.0/users?role=teacher&limit=50", fixture.Token)).Json;
        var next = SimulatorHttp.Link(first, "next");
        var lastId = SimulatorHttp.Ids(first)[^1];

        Assert.Equal("/v3.0/users?role=teacher&limit=50", SimulatorHttp.Link(first, "self"));
        Assert.Equal($"/v3.0/users?role=teacher&limit=50&starting_after={lastId}", next);
        Assert.Null(SimulatorHttp.Link(first, "prev"));

        var second = (await SimulatorHttp.GetAsync(Http, next!, fixture.Token)).Json;
        Assert.Equal(40, SimulatorHttp.Ids(second).Count); // 90 teachers in 3 schools
        Assert.Null(SimulatorHttp.Link(second, "next"));
        Assert.Equal($"/v3.0/users?role=teacher&limit=50&ending_before={SimulatorHttp.Ids(second)[0]}", SimulatorHttp.Link(second, "prev"));
    }

    [Fact]
    public async Task Ending_before_returns_the_records_just_before_the_cursor()
    {
        var all = (await SimulatorHttp.GetAsync(Http, "v3.0/users?role=student&limit=30", fixture.Token)).Json;
        var ids = SimulatorHttp.Ids(all);

        var before = (await SimulatorHttp.GetAsync(Http, $"v3.0/users?role=student&limit=5&ending_before={ids[20]}", fixture.Token)).Json;

        Assert.Equal(ids[15..20], SimulatorHttp.Ids(before));
        Assert.NotNull(SimulatorHttp.Link(before, "next"));
        Assert.NotNull(SimulatorHttp.Link(before, "prev"));
    }

    [Fact]
    public async Task Default_limit_is_100()
    {
        var page = (await SimulatorHttp.GetAsync(Http, "v3.0/users", fixture.Token)).Json;

        Assert.Equal(100, SimulatorHttp.Ids(page).Count);
    }

    [Fact]
    public async Task Limit_above_10000_is_413()
    {
        var response = await SimulatorHttp.GetAsync(Http, "v3.0/users?limit=10001", fixture.Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.True(response.Json.TryGetProperty("message", out _));
        Assert.Equal(HttpStatusCode.OK, (await SimulatorHttp.GetAsync(Http, "v3.0/users?limit=10000", fixture.Token)).Status);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("abc")]
    public async Task Non_positive_or_non_numeric_limit_is_400_invalid_limit(string limit)
    {
        var response = await SimulatorHttp.GetAsync(Http, $"v3.0/users?limit={limit}", fixture.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid limit", response.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Single_user_has_data_and_self_link()
    {
        var id = fixture.Sim.Store.GetUserIds(District.Schools[0].Id, "student")[0];

        var json = (await SimulatorHttp.GetAsync(Http, $"v3.0/users/{id}", fixture.Token)).Json;

        Assert.Equal(id, json.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal($"/v3.0/users/{id}", SimulatorHttp.Link(json, "self"));
    }

    [Fact]
    public async Task List_items_carry_their_uri()
    {
        var json = (await SimulatorHttp.GetAsync(Http, "v3.0/users?limit=3", fixture.Token)).Json;

        foreach (var item in json.GetProperty("data").EnumerateArray())
        {
            Assert.Equal("/v3.0/users/" + item.GetProperty("data").GetProperty("id").GetString(), item.GetProperty("uri").GetString());
        }
    }

    [Fact]
    public async Task A_token_sees_only_its_own_district()
    {
        var other = fixture.Sim.Districts[1];
        var otherUser = fixture.Sim.Store.GetUserIds(other.Schools[0].Id)[0];

        var districts = (await SimulatorHttp.GetAsync(Http, "v3.0/districts", fixture.Token)).Json;
        Assert.Equal([District.Id], SimulatorHttp.Ids(districts));
        var schools = (await SimulatorHttp.GetAsync(Http, "v3.0/schools", fixture.Token)).Json;
        Assert.Equal(District.Schools.Select(s => s.Id), SimulatorHttp.Ids(schools));

        foreach (var path in new[] { $"v3.0/users/{otherUser}", $"v3.0/schools/{other.Schools[0].Id}", $"v3.0/districts/{other.Id}", $"v3.0/schools/{other.Schools[0].Id}/users" })
        {
            var response = await SimulatorHttp.GetAsync(Http, path, fixture.Token);
            Assert.Equal(HttpStatusCode.NotFound, response.Status);
            Assert.Equal("Not Found", response.Json.GetProperty("message").GetString());
        }
        var (otherUsers, _) = await SimulatorHttp.GetAllAsync(Http, "v3.0/users?limit=10000", fixture.OtherToken);
        Assert.All(otherUsers, u => Assert.Equal(other.Id, u.GetProperty("district").GetString()));
    }

    [Fact]
    public async Task School_users_lists_only_that_schools_users_in_the_role()
    {
        var school = District.Schools[1];

        var (students, _) = await SimulatorHttp.GetAllAsync(Http, $"v3.0/schools/{school.Id}/users?role=student&limit=1000", fixture.Token);
        var (teachers, _) = await SimulatorHttp.GetAllAsync(Http, $"v3.0/schools/{school.Id}/users?role=teacher&limit=1000", fixture.Token);

        Assert.Equal(300, students.Count);
        Assert.Equal(30, teachers.Count);
        Assert.All(students, s => Assert.Equal(school.Id, s.GetProperty("roles").GetProperty("student").GetProperty("school").GetString()));
        Assert.All(teachers, t => Assert.Equal(school.Id, t.GetProperty("roles").GetProperty("teacher").GetProperty("school").GetString()));
    }

    [Fact]
    public async Task Some_teachers_also_hold_a_staff_role()
    {
        var (staff, _) = await SimulatorHttp.GetAllAsync(Http, "v3.0/users?role=staff&limit=1000", fixture.Token);

        Assert.InRange(staff.Count, 1, 45);
        Assert.All(staff, u =>
        {
            Assert.True(u.GetProperty("roles").TryGetProperty("teacher", out _));
            Assert.True(u.GetProperty("roles").GetProperty("staff").GetProperty("schools").GetArrayLength() > 0);
        });
    }

    [Fact]
    public async Task Invalid_role_is_400()
    {
        var response = await SimulatorHttp.GetAsync(Http, "v3.0/users?role=wizard", fixture.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Unknown_path_is_an_html_404()
    {
        var response = await SimulatorHttp.GetAsync(Http, "v3.0/enrollments", fixture.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.StartsWith("text/html", response.ContentType);
        Assert.Contains("<html", response.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task V3_1_serves_the_same_users_with_v3_1_uris()
    {
        var v30 = (await SimulatorHttp.GetAsync(Http, "v3.0/users?limit=5", fixture.Token)).Json;
        var v31 = (await SimulatorHttp.GetAsync(Http, "v3.1/users?limit=5", fixture.Token)).Json;

        Assert.Equal(SimulatorHttp.Ids(v30), SimulatorHttp.Ids(v31));
        Assert.StartsWith("/v3.1/users/", v31.GetProperty("data")[0].GetProperty("uri").GetString());
    }

    [Fact]
    public async Task Students_look_like_clever_students()
    {
        var (students, _) = await SimulatorHttp.GetAllAsync(Http, "v3.0/users?role=student&limit=10000", fixture.Token);
        string[] grades = ["Kindergarten", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"];

        foreach (var s in students)
        {
            Assert.Matches("^[0-9a-f]{24}$", s.GetProperty("id").GetString());
            Assert.Equal(District.Id, s.GetProperty("district").GetString());
            Assert.False(string.IsNullOrEmpty(s.GetProperty("name").GetProperty("first").GetString()));
            Assert.False(string.IsNullOrEmpty(s.GetProperty("name").GetProperty("last").GetString()));
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", s.GetProperty("created").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", s.GetProperty("last_modified").GetString());
            var role = s.GetProperty("roles").GetProperty("student");
            var school = role.GetProperty("school").GetString();
            Assert.Contains(school, role.GetProperty("schools").EnumerateArray().Select(x => x.GetString()));
            Assert.Contains(role.GetProperty("grade").GetString(), grades);
            Assert.Matches(@"^\d{1,2}/\d{1,2}/\d{4}$", role.GetProperty("dob").GetString());
            Assert.Equal(school, role.GetProperty("enrollments")[0].GetProperty("school").GetString());
            Assert.False(string.IsNullOrEmpty(role.GetProperty("credentials").GetProperty("district_username").GetString()));
            if (s.TryGetProperty("email", out var email))
            {
                Assert.Matches(@"^[a-z]+\.[a-z]+\d*@[a-z0-9]+\.org$", email.GetString());
            }
        }

        var withoutEmail = students.Count(s => !s.TryGetProperty("email", out _));
        var withoutMiddle = students.Count(s => !s.GetProperty("name").TryGetProperty("middle", out _));
        Assert.InRange(withoutEmail, 10, 100); // ~5% of 900
        Assert.InRange(withoutMiddle, 300, 600); // ~half
        var numbers = students.Select(s => s.GetProperty("roles").GetProperty("student").GetProperty("student_number").GetString()).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        var emails = students.Where(s => s.TryGetProperty("email", out _)).Select(s => s.GetProperty("email").GetString()).ToList();
        Assert.Equal(emails.Count, emails.Distinct().Count());
    }

    [Fact]
    public async Task Districts_have_no_created_or_last_modified_and_schools_do()
    {
        var district = (await SimulatorHttp.GetAsync(Http, $"v3.0/districts/{District.Id}", fixture.Token)).Json.GetProperty("data");
        var school = (await SimulatorHttp.GetAsync(Http, $"v3.0/schools/{District.Schools[0].Id}", fixture.Token)).Json.GetProperty("data");

        Assert.Equal(District.Name, district.GetProperty("name").GetString());
        Assert.False(district.TryGetProperty("created", out _));
        Assert.Equal(District.Id, school.GetProperty("district").GetString());
        Assert.True(school.TryGetProperty("last_modified", out _));
        Assert.Equal(JsonValueKind.String, school.GetProperty("low_grade").ValueKind);
    }
}

public sealed class InjectedUserTests
{
    [Fact]
    public async Task An_injected_odd_record_is_served_verbatim_with_an_assigned_ascending_id()
    {
        await using var sim = await CleverSimulator.StartAsync(new SimulatorOptions { SchoolsPerDistrict = 1, StudentsPerSchool = 10, TeachersPerSchool = 1 }.Kinder());
        using var http = SimulatorHttp.Client(sim);
        var token = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);
        var school = sim.Districts[0].Schools[0].Id;
        var longEmail = new string('x', 290) + "@example.org";
        var odd = new JsonObject
        {
            ["email"] = longEmail,
            ["name"] = new JsonObject { ["first"] = "Odd", ["last"] = "Record" },
            ["roles"] = new JsonObject { ["student"] = new JsonObject { ["school"] = school, ["schools"] = new JsonArray(school), ["grade"] = "", ["gender"] = "" } },
            ["surprise_field"] = new JsonObject { ["nested"] = 1 },
        };

        var id = sim.Store.AddUser(odd);

        var all = sim.Store.GetUserIds(school);
        Assert.Equal(id, all[^1]);
        Assert.True(string.CompareOrdinal(id, all[^2]) > 0);
        var served = (await SimulatorHttp.GetAsync(http, $"v3.0/users/{id}", token)).Json.GetProperty("data");
        Assert.Equal(longEmail, served.GetProperty("email").GetString());
        Assert.Equal("", served.GetProperty("roles").GetProperty("student").GetProperty("grade").GetString());
        Assert.Equal(1, served.GetProperty("surprise_field").GetProperty("nested").GetInt32());
        Assert.Equal(sim.Districts[0].Id, served.GetProperty("district").GetString());
        var (students, _) = await SimulatorHttp.GetAllAsync(http, $"v3.0/schools/{school}/users?role=student", token);
        Assert.Equal(id, students[^1].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_moved_student_changes_school_and_leaves_the_old_schools_list()
    {
        await using var sim = await CleverSimulator.StartAsync(new SimulatorOptions { SchoolsPerDistrict = 2, StudentsPerSchool = 10, TeachersPerSchool = 1 }.Kinder());
        using var http = SimulatorHttp.Client(sim);
        var token = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);
        var (from, to) = (sim.Districts[0].Schools[0].Id, sim.Districts[0].Schools[1].Id);
        var student = sim.Store.GetUserIds(from, "student")[3];

        Assert.True(sim.Store.UpdateUser(student, new JsonObject { ["roles"] = new JsonObject { ["student"] = new JsonObject { ["school"] = to, ["schools"] = new JsonArray(to) } } }));

        var (oldSchool, _) = await SimulatorHttp.GetAllAsync(http, $"v3.0/schools/{from}/users?role=student", token);
        var (newSchool, _) = await SimulatorHttp.GetAllAsync(http, $"v3.0/schools/{to}/users?role=student", token);
        Assert.DoesNotContain(student, oldSchool.Select(u => u.GetProperty("id").GetString()));
        var moved = Assert.Single(newSchool, u => u.GetProperty("id").GetString() == student);
        Assert.Equal(to, moved.GetProperty("roles").GetProperty("student").GetProperty("school").GetString());
    }
}
