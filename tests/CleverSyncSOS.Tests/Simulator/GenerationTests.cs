using System.Net;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Simulator.Data;

namespace CleverSyncSOS.Tests.Simulator;

public sealed class GenerationTests
{
    private static string Fingerprint(SimulatorStore store) =>
        string.Join("\n", store.Districts.SelectMany(d => d.Schools).SelectMany(s => store.GetUserIds(s.Id)).Select(id => store.GetUser(id)!.ToJsonString()));

    [Fact]
    public void The_same_seed_generates_the_same_ids_names_and_credentials()
    {
        var options = new SimulatorOptions { Seed = 7, Districts = 2, SchoolsPerDistrict = 2, StudentsPerSchool = 40, TeachersPerSchool = 4 };

        var a = new SimulatorStore(options);
        var b = new SimulatorStore(options);

        Assert.Equal(a.Districts.Select(d => (d.Id, d.Name, d.ClientId, d.ClientSecret)), b.Districts.Select(d => (d.Id, d.Name, d.ClientId, d.ClientSecret)));
        Assert.Equal(a.Districts.SelectMany(d => d.Schools), b.Districts.SelectMany(d => d.Schools));
        Assert.Equal(Fingerprint(a), Fingerprint(b));
    }

    [Fact]
    public void Ids_and_timestamps_written_as_bytes_read_exactly_as_their_strings()
    {
        // Pages write ids and timestamps digit by digit into bytes; the events, single-user answers and modified users
        // carry the string forms. Edges: the first and largest counters, each digit's wrap, leap days, the last millisecond.
        var ids = new ObjectIds(7);
        Span<byte> buffer = stackalloc byte[32];
        foreach (var kind in Enum.GetValues<IdKind>())
        {
            foreach (var counter in new[] { 0L, 1L, 9L, 10L, 15L, 16L, 255L, 100_000L, 1_048_575L, long.MaxValue })
            {
                Assert.Equal(ids.Format(kind, counter), System.Text.Encoding.ASCII.GetString(ids.FormatUtf8(kind, counter, buffer)));
            }
        }

        DateTimeOffset[] times =
        [
            DateTimeOffset.UnixEpoch, new(2024, 2, 29, 23, 59, 59, 999, TimeSpan.Zero), new(2024, 8, 1, 17, 0, 0, 1, TimeSpan.Zero),
            new(2026, 12, 31, 9, 5, 7, 50, TimeSpan.FromHours(-8)), new(1, 1, 1, 0, 0, 0, TimeSpan.Zero), new(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero),
        ];
        foreach (var time in times)
        {
            Assert.Equal(Timestamps.Format(time), System.Text.Encoding.ASCII.GetString(Timestamps.FormatUtf8(time, buffer)));
        }
    }

    [Fact]
    public void A_different_seed_generates_different_people()
    {
        var a = new SimulatorStore(new SimulatorOptions { Seed = 1, SchoolsPerDistrict = 1, StudentsPerSchool = 20 });
        var b = new SimulatorStore(new SimulatorOptions { Seed = 2, SchoolsPerDistrict = 1, StudentsPerSchool = 20 });

        Assert.NotEqual(Fingerprint(a), Fingerprint(b));
        Assert.NotEqual(a.Districts[0].ClientSecret, b.Districts[0].ClientSecret);
    }

    [Fact]
    public void Random_changes_say_per_role_what_happened_and_name_moves_to_another_school_apart()
    {
        var store = new SimulatorStore(new SimulatorOptions { SchoolsPerDistrict = 3, StudentsPerSchool = 60, TeachersPerSchool = 6 });
        var school = store.Districts[0].Schools[0].Id;
        var studentsBefore = store.GetUserIds(school, "student").ToHashSet();

        var result = store.ApplyRandomChanges(school, adds: 12, edits: 30, removes: 6, seed: 5);

        var changes = result.Changes;
        Assert.Equal(result.Added.Concat(result.Updated).Concat(result.Removed).Order(), changes.Select(c => c.UserId).Order());
        var moved = changes.Where(c => c.Kind == RandomChangeKind.MovedAway).ToList();
        Assert.NotEmpty(moved);
        Assert.All(moved, c => Assert.DoesNotContain(c.UserId, store.GetUserIds(school)));
        Assert.All(changes.Where(c => c.Kind is RandomChangeKind.Added or RandomChangeKind.Updated), c => Assert.Contains(c.UserId, store.GetUserIds(school, c.Role)));
        Assert.All(changes.Where(c => c.Kind != RandomChangeKind.Added), c => Assert.Equal(c.Role, studentsBefore.Contains(c.UserId) ? "student" : "teacher"));
        Assert.Contains(changes, c => c.Role == "teacher");

        string Count(string role, RandomChangeKind kind, string text) =>
            changes.Count(c => c.Role == role && c.Kind == kind) is var n and > 0 ? $"{n} {text}" : "";
        string Role(string role) => $"{role}s: " + string.Join(", ", new[]
        {
            Count(role, RandomChangeKind.Added, "added"), Count(role, RandomChangeKind.Updated, "updated"),
            Count(role, RandomChangeKind.MovedAway, "moved to another school"), Count(role, RandomChangeKind.Removed, "removed"),
        }.Where(t => t.Length > 0));
        Assert.Equal(string.Join("; ", new[] { "student", "teacher" }.Where(r => changes.Any(c => c.Role == r)).Select(Role)), result.Describe());
    }

    [Fact]
    public void Random_changes_are_reproducible_from_their_seed()
    {
        var options = new SimulatorOptions { SchoolsPerDistrict = 3, StudentsPerSchool = 60 };
        var a = new SimulatorStore(options);
        var b = new SimulatorStore(options);

        var ra = a.ApplyRandomChanges(a.Districts[0].Schools[0].Id, 5, 10, 5, seed: 99);
        var rb = b.ApplyRandomChanges(b.Districts[0].Schools[0].Id, 5, 10, 5, seed: 99);

        Assert.Equal(ra.Added, rb.Added);
        Assert.Equal(ra.Updated, rb.Updated);
        Assert.Equal(ra.Removed, rb.Removed);
        Assert.Equal(ra.Updated.Select(id => a.GetUser(id)!["name"]!.ToJsonString()), rb.Updated.Select(id => b.GetUser(id)!["name"]!.ToJsonString()));
    }

    [Fact]
    public void Users_added_later_get_larger_ids_than_all_existing_ones()
    {
        var store = new SimulatorStore(new SimulatorOptions { SchoolsPerDistrict = 2, StudentsPerSchool = 10 });
        var maxBefore = store.Districts[0].Schools.SelectMany(s => store.GetUserIds(s.Id)).Max(StringComparer.Ordinal);

        var added = store.AddStudent(store.Districts[0].Schools[0].Id);

        Assert.Matches("^[0-9a-f]{24}$", added);
        Assert.True(string.CompareOrdinal(added, maxBefore) > 0);
    }

    [Fact]
    public void Default_options_generate_three_schools_of_300_students_and_30_teachers()
    {
        var store = new SimulatorStore(new SimulatorOptions());

        Assert.Equal(3, store.Districts[0].Schools.Count);
        Assert.Equal(3 * 330, store.UserCount);
    }

    [Fact]
    public async Task A_million_student_school_serves_10000_user_pages_that_follow_each_other_by_cursor()
    {
        // How fast is the benchmark's to say (bench/); here, that a school this size is generated and paged correctly.
        await using var sim = await CleverSimulator.StartAsync(new SimulatorOptions { SchoolsPerDistrict = 1, StudentsPerSchool = 1_000_000, TeachersPerSchool = 10 });
        using var http = SimulatorHttp.Client(sim);
        var token = await SimulatorHttp.GetTokenAsync(http, sim.Districts[0]);
        var school = sim.Districts[0].Schools[0].Id;
        var first = await SimulatorHttp.GetAsync(http, $"v3.0/schools/{school}/users?role=student&limit=10000", token);
        Assert.Equal(HttpStatusCode.OK, first.Status);

        var firstIds = SimulatorHttp.Ids(first.Json);
        var page = await SimulatorHttp.GetAsync(http, $"v3.0/schools/{school}/users?role=student&limit=10000&starting_after={firstIds[^1]}", token);
        var ids = SimulatorHttp.Ids(page.Json);

        Assert.Equal(1_000_000 + 10, sim.Store.UserCount);
        Assert.Equal(10_000, ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.True(string.CompareOrdinal(ids[0], firstIds[^1]) > 0, "the second page starts after the first page's last id");
        Assert.Equal(firstIds.Concat(ids).Take(20_000), sim.Store.GetUserIds(school, "student").Take(20_000));
    }
}
