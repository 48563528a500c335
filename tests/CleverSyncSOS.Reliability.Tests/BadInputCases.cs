using System.Net;
using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Reliability.Tests.Harness;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace CleverSyncSOS.Reliability.Tests;

/// <summary>
/// Issue 8 §3, records Clever may serve: each case rewrites one student of the first student page of every school
/// and checks what the database holds for it, on SQLite and on PostgreSQL.
/// </summary>
[Collection(InProcessCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class BadInputCases(ITestOutputHelper output)
{
    /// <summary>What a case does to one user's JSON, and what the stored student must then look like (null: not stored, kept as before).</summary>
    public sealed record Mutation(string Name, string Injected, string Expected, Action<JsonObject> Change, Func<string, CleverSyncSOS.Persistence.Schools.Student?, bool> Stored);

    private static readonly string LongName = new('x', 10_000);
    private const string Sql = "Robert'); DROP TABLE Students;--";
    private const string RtlEmoji = "\u202Eמרים 👩‍🚀\u202C";

    private static readonly Dictionary<string, Mutation> Mutations = new Mutation[]
    {
        new("missing name", "one student without \"name\"", "that record skipped and counted, previous version kept",
            u => u.Remove("name"), (_, s) => s is not null && s.FirstName.Length > 0),
        new("missing id", "one student without \"id\"", "that record skipped and counted, nothing deleted",
            u => u.Remove("id"), (_, _) => true),
        new("empty enums", "one student's grade, gender and ell_status are \"\"", "stored, \"\" read as no value",
            u => { var r = u["roles"]!["student"]!.AsObject(); r["grade"] = ""; r["gender"] = ""; r["ell_status"] = ""; }, (_, s) => s is not null && s.Grade is null),
        new("over-long name and email", "one student's first name is 10 000 characters, email 5 000", "stored whole or skipped alone, never a failed school",
            u => { u["name"]!["first"] = LongName; u["email"] = new string('e', 4990) + "@x.org"; }, (_, _) => true),
        new("control characters and NUL", "one student's last name holds \\u0001, \\u001b[31m and NUL", "stored without NUL or skipped alone",
            u => u["name"]!["last"] = "Bad\u0001\u001b[31m\u0000Name", (_, s) => s is null || !s.LastName.Contains('\0', StringComparison.Ordinal)),
        new("right-to-left and emoji", "one student's first name is an RTL override, Hebrew and a ZWJ emoji", "stored exactly",
            u => u["name"]!["first"] = RtlEmoji, (_, s) => s?.FirstName == RtlEmoji),
        new("SQL-looking strings", "one student's names are Robert'); DROP TABLE Students;--", "stored as data",
            u => { u["name"]!["first"] = Sql; u["name"]!["last"] = Sql; }, (_, s) => s?.FirstName == Sql && s.LastName == Sql),
        new("unknown fields and roles", "one student gains a \"wizard\" role, a nested unknown field and an unknown top-level array", "unknowns ignored, stored",
            u => { u["roles"]!["wizard"] = new JsonObject { ["level"] = 9 }; u["x_future"] = new JsonObject { ["a"] = new JsonArray(1, 2) }; u["tags"] = new JsonArray("x"); },
            (_, s) => s is not null),
        new("multi-role user", "one student is also a teacher at the same school", "stored as a student (and a teacher)",
            u => u["roles"]!["teacher"] = new JsonObject { ["title"] = "Aide", ["school"] = u["roles"]!["student"]!["school"]?.DeepClone() }, (_, s) => s is not null),
    }.ToDictionary(m => m.Name);

    public static TheoryData<string, DatabaseProvider> Cases()
    {
        var data = new TheoryData<string, DatabaseProvider>();
        foreach (var name in Mutations.Keys)
        {
            foreach (var provider in Providers())
            {
                data.Add(name, provider);
            }
        }

        return data;
    }

    /// <summary>SQLite always; PostgreSQL when the suite has a server (CI always has).</summary>
    private static IEnumerable<DatabaseProvider> Providers() =>
        TestDatabases.PostgresServer is null ? [DatabaseProvider.Sqlite] : [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    [Theory]
    [MemberData(nameof(Cases))]
    public Task A_hostile_record_fails_alone_or_is_stored_as_data_and_nothing_else_changes(string mutation, DatabaseProvider provider)
    {
        var m = Mutations[mutation];
        return FaultCase.RunAsync(output, new CaseRow($"bad input: {m.Name} ({provider})", m.Injected, m.Expected), new CaseSetup { Provider = provider }, async run =>
        {
            var targets = new Dictionary<string, string>();
            run.Proxy.Rewrite = async (context, answer) =>
            {
                if (!context.Request.Path.Value!.EndsWith("/users", StringComparison.Ordinal) || context.Request.Query["role"] != "student"
                    || context.Request.Query.ContainsKey("starting_after") || answer.Status != HttpStatusCode.OK)
                {
                    return false;
                }

                var page = JsonNode.Parse(answer.Body)!;
                var user = page["data"]![1]!["data"]!.AsObject();
                lock (targets)
                {
                    targets[context.Request.Path.Value!] = (string)user["id"]!;
                }

                m.Change(user);
                await HostileCleverProxy.WriteAsync(context, answer with { Body = page.ToJsonString() });
                return true;
            };
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(results, r => Assert.NotEqual(SyncStatus.Failed, r.Status));
            var stored = new List<string>();
            foreach (var school in run.SchoolIds)
            {
                var id = targets.Single(t => t.Key.Contains(school, StringComparison.Ordinal)).Value;
                var student = (await run.Env.StudentsAsync(school)).SingleOrDefault(s => s.CleverStudentId == id);
                Assert.True(m.Stored(id, student), $"{school}: the student as stored does not match \"{m.Expected}\"");
                stored.Add(student is null ? "not stored" : "stored");
            }

            var failed = results.Sum(r => r.Entities.Where(e => e.EntityType == SyncEntityType.Student).Sum(e => e.Failed));
            return $"{FaultCase.Describe(results)}, {failed} student records skipped, the record {string.Join("/", stored.Distinct())}";
        });
    }
}
