using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Tests.Clever;

/// <summary>
/// Odd records a Clever-compatible server may serve, through <see cref="HostileCleverProxy"/> in front of the
/// simulator. The other hostile answers (links to other hosts, loops, dripped bodies, pages without data, wild
/// headers, echoed credentials) are cases of the reliability suite (tests/CleverSyncSOS.Reliability.Tests).
/// </summary>
public sealed class HostileServerTests
{
    private static Task<SyncTestEnvironment> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, int students = 30, int teachers = 4,
        Action<Dictionary<string, string?>>? configure = null) =>
        SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students, teachers, schools: 1),
            s =>
            {
                s["CleverSyncSOS:CleverApi:PageSize"] = "10";
                configure?.Invoke(s);
            },
            provider: provider, behindProxy: true);

    private static bool IsStudentPage(HttpContext context) =>
        context.Request.Path.Value!.EndsWith("/users", StringComparison.Ordinal) && context.Request.Query["role"] == "student";

    /// <summary>The first page of students is served with <paramref name="edit"/> applied to its data array.</summary>
    private static void EditFirstStudentPage(SyncTestEnvironment env, Action<JsonArray> edit) =>
        env.Proxy!.Rewrite = async (context, answer) =>
        {
            if (!IsStudentPage(context) || context.Request.Query.ContainsKey("starting_after"))
            {
                return false;
            }

            var page = JsonNode.Parse(answer.Body)!;
            edit(page["data"]!.AsArray());
            await HostileCleverProxy.WriteAsync(context, answer with { Body = page.ToJsonString() });
            return true;
        };

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Records_with_numbers_for_text_null_entries_wrong_shapes_or_NUL_in_ids_fail_alone(DatabaseProvider provider)
    {
        await using var env = await StartAsync(provider, students: 12);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        string? renamed = null;
        EditFirstStudentPage(env, data =>
        {
            data[0]!["data"]!["roles"]!["student"]!["grade"] = 5;         // a number for text: read as "5"
            renamed = (string)data[1]!["data"]!["id"]!;
            data[1]!["data"]!["id"] = 12345;                                // a number id: read as "12345"
            data[2] = null;                                                 // a null entry
            data[3]!["data"]!["name"] = "Ada Lovelace";                     // a string for an object
            data[4]!["data"]!["id"] = "bad\u0000id";                        // NUL, which PostgreSQL refuses
        });

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true, AllowMassDelete: true)));

        Assert.Equal(SyncStatus.Partial, result.Status);
        var students = result.Entities.Single(e => e.EntityType == SyncEntityType.Student);
        Assert.Equal(3, students.Failed); // the null entry, the wrong shape, the NUL id
        var stored = await env.StudentsAsync(school.Id);
        Assert.Contains(stored, s => s.Grade == "5");
        Assert.Contains(stored, s => s.CleverStudentId == "12345");
        Assert.DoesNotContain(stored, s => s.CleverStudentId.Contains('\0', StringComparison.Ordinal));
        Assert.Contains(env.Logs.Lines, l => l.Contains("contains a NUL character"));
        // The null entry and the NUL id stand for rows that cannot be told apart, so nothing is deleted this run:
        // the row whose id came back as a number is kept too.
        Assert.Contains(stored, s => s.CleverStudentId == renamed);
        Assert.Contains("without a usable id", students.Warning);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Wrong_types_and_huge_strings_in_the_middle_of_a_page_fail_alone_and_delete_nothing(DatabaseProvider provider)
    {
        await using var env = await StartAsync(provider, students: 12);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var before = await env.StudentsAsync(school.Id);
        string[] odd = [];
        EditFirstStudentPage(env, data =>
        {
            odd = [.. new[] { 3, 5, 7 }.Select(i => (string)data[i]!["data"]!["id"]!)];
            data[3]!["data"]!["roles"] = new JsonArray("student");                              // a list for an object
            data[5]!["data"]!["roles"]!["student"]!["schools"] = school.Id;                      // text for a list
            data[7]!["data"]!["name"]!["first"] = new string('A', 1_000_000);                     // a megabyte of name
            data[8]!["data"]!["name"]!["last"] = new JsonObject { ["nested"] = new JsonArray(1) }; // an object for text: absent
        });

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true, AllowMassDelete: true)));

        Assert.Equal(SyncStatus.Partial, result.Status);
        var students = result.Entities.Single(e => e.EntityType == SyncEntityType.Student);
        Assert.Equal(4, students.Failed); // two malformed, the megabyte name, the missing last name
        Assert.Equal(0, students.Deleted);
        var stored = await env.StudentsAsync(school.Id);
        Assert.Equal(before.Select(s => s.CleverStudentId).Order(), stored.Select(s => s.CleverStudentId).Order());
        foreach (var id in odd)
        {
            Assert.Equal(before.Single(s => s.CleverStudentId == id).FirstName, stored.Single(s => s.CleverStudentId == id).FirstName);
        }

        Assert.Contains(env.Logs.Lines, l => l.Contains(odd[0]) && l.Contains("not in the shape Clever documents"));
        Assert.Contains(env.Logs.Lines, l => l.Contains(odd[2]) && l.Contains("FirstName is 1000000 characters"));
    }

    [Theory]
    [InlineData("{\"data\": {\"id\": \"u1\"}}", "the page's data is not an array")]
    [InlineData("[{\"data\": {}}]", "the body is not a JSON object")]
    public async Task A_page_of_the_wrong_shape_fails_the_read_with_the_problem_named(string body, string problem)
    {
        await using var env = await StartAsync();
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        env.Proxy!.Rewrite = async (context, answer) =>
        {
            if (!IsStudentPage(context))
            {
                return false;
            }

            await HostileCleverProxy.WriteAsync(context, answer with { Body = body });
            return true;
        };

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true, AllowMassDelete: true)));

        Assert.Equal(SyncStatus.Failed, result.Status);
        var error = result.Error ?? string.Join(" ", result.Entities.Select(e => e.Error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.DoesNotContain("CleverSyncSOS.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.Equal(30, (await env.StudentsAsync(school.Id)).Count);
    }
}
