using System.Net;
using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Reliability.Tests.Harness;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace CleverSyncSOS.Reliability.Tests;

/// <summary>
/// Issue 8 §1, what the simulator should never do: a <see cref="HostileCleverProxy"/> in front of it rewrites, drips,
/// cuts or re-links its answers.
/// </summary>
[Collection(InProcessCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class HostileServerCases(ITestOutputHelper output)
{
    private static readonly CaseSetup Default = new();

    private Task Case(string name, string injected, string expected, CaseSetup setup, Func<FaultCase, Task<string>> body) =>
        FaultCase.RunAsync(output, new CaseRow(name, injected, expected), setup, body);

    private static bool IsStudentPage(HttpContext context) =>
        context.Request.Path.Value!.EndsWith("/users", StringComparison.Ordinal) && context.Request.Query["role"] == "student";

    private static bool IsLaterPage(HttpContext context) => context.Request.Query.ContainsKey("starting_after");

    /// <summary>Rewrites the body of the student pages <paramref name="which"/> selects.</summary>
    private static HostileCleverProxy.Tamper RewriteStudentPages(Func<HttpContext, bool> which, Action<JsonNode, HttpContext> change) => async (context, answer) =>
    {
        if (!IsStudentPage(context) || !which(context) || answer.Status != HttpStatusCode.OK)
        {
            return false;
        }

        var page = JsonNode.Parse(answer.Body)!;
        change(page, context);
        await HostileCleverProxy.WriteAsync(context, answer with { Body = page.ToJsonString() });
        return true;
    };

    private static void SetNext(JsonNode page, string uri) => page["links"] = new JsonArray(new JsonObject { ["rel"] = "next", ["uri"] = uri });

    private static async Task<string> FullSyncFailsAsync(FaultCase run)
    {
        var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
        Assert.All(results, r => Assert.Equal(SyncStatus.Failed, r.Status));
        return FaultCase.Describe(results);
    }

    /// <summary>A full sync that does not fail and leaves one row per student id in every school.</summary>
    private static async Task<string> StoresEachStudentOnceAsync(FaultCase run)
    {
        var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
        foreach (var school in run.SchoolIds)
        {
            var ids = (await run.Env.StudentsAsync(school)).Select(s => s.CleverStudentId).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
        }

        Assert.All(results, r => Assert.NotEqual(SyncStatus.Failed, r.Status));
        return FaultCase.Describe(results);
    }

    private static async Task<string> FullSyncSucceedsAsync(FaultCase run)
    {
        var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
        Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
        return FaultCase.Describe(results);
    }

    [Fact]
    public Task A_next_link_that_repeats_its_page_fails_instead_of_looping() =>
        Case("next link loops", "every later student page names itself as next", "Failed (cursor does not advance), run ends", Default, async run =>
        {
            run.Proxy.Rewrite = RewriteStudentPages(IsLaterPage, (page, context) => SetNext(page, context.Request.Path.Value + context.Request.QueryString.Value));
            var result = await FullSyncFailsAsync(run);
            Assert.Contains("leads back to a page already read", result, StringComparison.Ordinal);
            Assert.True(run.Proxy.Requests.Count < 200, $"{run.Proxy.Requests.Count} requests");
            return result;
        });

    [Fact]
    public Task A_next_link_to_another_host_fails_and_the_token_never_reaches_it() =>
        Case("next link to another host", "student pages' next links point to a bystander server on another port", "Failed, bystander receives nothing", Default, async run =>
        {
            await using var bystander = await HostileCleverProxy.StartAsync(upstream: null);
            run.Proxy.Rewrite = RewriteStudentPages(_ => true, (page, context) => SetNext(page, new Uri(bystander.BaseUrl, context.Request.Path.Value + "?starting_after=x").ToString()));
            var result = await FullSyncFailsAsync(run);
            Assert.Contains("not to the configured Clever server", result, StringComparison.Ordinal);
            Assert.Empty(bystander.Requests);
            return result + " (bystander got 0 requests)";
        });

    [Fact]
    public Task A_next_link_to_nowhere_fails_the_read() =>
        Case("next link to nowhere", "the first student page's next link names a path that does not exist", "Failed, nothing deleted", Default, async run =>
        {
            run.Proxy.Rewrite = RewriteStudentPages(c => !IsLaterPage(c), (page, _) => SetNext(page, "/v3.0/nowhere/at/all?starting_after=x"));
            return await FullSyncFailsAsync(run);
        });

    [Fact]
    public Task A_next_link_that_is_not_a_link_fails_the_read() =>
        Case("next link malformed", "the first student page's next link is \"http://[::1\"", "Failed, nothing deleted", Default, async run =>
        {
            run.Proxy.Rewrite = RewriteStudentPages(c => !IsLaterPage(c), (page, _) => SetNext(page, "http://[::1"));
            return await FullSyncFailsAsync(run);
        });

    [Fact]
    public Task Duplicate_records_on_one_page_are_stored_once() =>
        Case("duplicates on one page", "the first student page repeats its first record twice", "one row per id, Success", Default, async run =>
        {
            run.Proxy.Rewrite = RewriteStudentPages(c => !IsLaterPage(c), (page, _) =>
            {
                var data = page["data"]!.AsArray();
                data.Add(data[0]!.DeepClone());
                data.Add(data[0]!.DeepClone());
            });
            return await StoresEachStudentOnceAsync(run);
        });

    [Fact]
    public Task Duplicate_records_across_pages_are_stored_once() =>
        Case("duplicates across pages", "every later student page repeats the first page's first record", "one row per id, nothing lost", Default, async run =>
        {
            JsonNode? first = null;
            run.Proxy.Rewrite = RewriteStudentPages(_ => true, (page, context) =>
            {
                var data = page["data"]!.AsArray();
                if (!IsLaterPage(context))
                {
                    first = data[0]!.DeepClone();
                }
                else if (first is not null && data.Count > 0)
                {
                    data.Add(first.DeepClone());
                }
            });
            return await StoresEachStudentOnceAsync(run);
        });

    [Fact]
    public Task A_record_whose_id_turns_into_an_object_fails_alone_and_is_not_deleted() =>
        Case("id changes type", "one student's id served as an object {\"$oid\": ...} instead of a string", "that record skipped and counted, kept as it was", Default, async run =>
        {
            run.Proxy.Rewrite = RewriteStudentPages(c => !IsLaterPage(c), (page, _) =>
            {
                var user = page["data"]![1]!["data"]!;
                user["id"] = new JsonObject { ["$oid"] = (string)user["id"]! };
            });
            var result = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.All(result, r => Assert.NotEqual(SyncStatus.Success, r.Status));
            return FaultCase.Describe(result);
        });

    [Fact]
    public Task A_connection_cut_in_the_middle_of_a_body_fails_the_read_and_changes_nothing() =>
        Case("connection dropped mid-body", "student pages send half their body, then the connection is reset", "Failed, nothing deleted", Default, async run =>
        {
            run.Proxy.Rewrite = async (context, answer) =>
            {
                if (!IsStudentPage(context))
                {
                    return false;
                }

                context.Response.ContentType = "application/json";
                context.Response.ContentLength = answer.Body.Length;
                await context.Response.WriteAsync(answer.Body[..(answer.Body.Length / 2)]);
                await context.Response.Body.FlushAsync();
                context.Abort();
                return true;
            };
            return await FullSyncFailsAsync(run);
        });

    [Fact]
    public Task A_data_page_dripped_a_byte_at_a_time_is_timed_out_and_the_run_ends() =>
        Case("slow-drip data body", "student pages send headers, then one byte every 100 ms", "per-request timeout (1 s) fires, Failed, run ends",
            Default with { Settings = s => s["CleverSyncSOS:CleverApi:RequestTimeoutSeconds"] = "1" }, async run =>
            {
                run.Proxy.Rewrite = async (context, answer) =>
                {
                    if (!IsStudentPage(context))
                    {
                        return false;
                    }

                    await HostileCleverProxy.DripAsync(context, answer.Body);
                    return true;
                };
                var result = await FullSyncFailsAsync(run);
                Assert.Contains("did not answer", result, StringComparison.Ordinal);
                return result;
            });

    [Fact]
    public Task A_token_answer_dripped_a_byte_at_a_time_is_timed_out_and_the_run_ends() =>
        Case("slow-drip token body", "after the token is revoked, the token endpoint drips its answer a byte every 100 ms", "token timeout (1 s) fires, Failed, run ends",
            Default with { Settings = s => s["CleverSyncSOS:CleverAuth:RequestTimeoutSeconds"] = "1" }, async run =>
            {
                run.Simulator.Store.RevokeTokens(run.Env.District.Id);
                run.Proxy.Rewrite = async (context, answer) =>
                {
                    if (!context.Request.Path.StartsWithSegments("/oauth/tokens"))
                    {
                        return false;
                    }

                    await HostileCleverProxy.DripAsync(context, answer.Body);
                    return true;
                };
                var result = await FullSyncFailsAsync(run);
                Assert.Contains("did not answer in time", result, StringComparison.Ordinal);
                return result;
            });

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"data\": null}")]
    [InlineData("{\"data\": null, \"links\": []}")]
    public Task A_page_without_a_data_array_is_a_failed_read_not_an_empty_roster(string body) =>
        Case($"200 with {body}", $"student pages of a 6-student school answer {body}", "Failed (below the guard's minimum, so only this protects the roster), nothing deleted",
            Default with { Students = 6, Teachers = 2, Schools = 1 }, async run =>
            {
                run.Proxy.Rewrite = async (context, answer) =>
                {
                    if (!IsStudentPage(context))
                    {
                        return false;
                    }

                    await HostileCleverProxy.WriteAsync(context, answer with { Body = body });
                    return true;
                };
                var result = await FullSyncFailsAsync(run);
                Assert.Contains("no data array", result, StringComparison.Ordinal);
                return result;
            });

    [Fact]
    public Task An_empty_roster_is_held_by_the_mass_deletion_guard() =>
        Case("empty roster (guard)", "school 1's users answered as a well-formed empty list", "guard holds the deletions, nothing deleted, warning", Default, async run =>
        {
            run.Proxy.Rewrite = async (context, answer) =>
            {
                if (!context.Request.Path.Value!.Contains($"schools/{run.SchoolIds[0]}/users", StringComparison.Ordinal))
                {
                    return false;
                }

                await HostileCleverProxy.WriteAsync(context, answer with { Body = "{\"data\":[],\"links\":[]}" });
                return true;
            };
            var results = await run.SyncAsync(new SyncRequest(ForceFull: true));
            Assert.NotEqual(SyncStatus.Success, results.Single(r => r.CleverSchoolId == run.SchoolIds[0]).Status);
            return FaultCase.Describe(results);
        });

    [Fact]
    public Task Rate_limit_headers_out_of_any_range_are_ignored() =>
        Case("X-Ratelimit-Reset out of range", "every answer says Remaining 0, Reset 99999999999999999", "headers ignored, Success", Default, async run =>
        {
            run.Proxy.Rewrite = async (context, answer) =>
            {
                var headers = new Dictionary<string, string>(answer.Headers, StringComparer.OrdinalIgnoreCase)
                {
                    ["X-Ratelimit-Limit"] = "1200", ["X-Ratelimit-Remaining"] = "0", ["X-Ratelimit-Reset"] = "99999999999999999",
                };
                await HostileCleverProxy.WriteAsync(context, answer with { Headers = headers });
                return true;
            };
            return await FullSyncSucceedsAsync(run);
        });

    [Fact]
    public Task An_error_body_that_echoes_the_bearer_token_is_stored_and_logged_without_it() =>
        Case("error body echoes the token", "student pages answer 400 with the request's bearer token in the message", "Failed, token redacted everywhere", Default, async run =>
        {
            run.Proxy.Rewrite = async (context, _) =>
            {
                if (!IsStudentPage(context))
                {
                    return false;
                }

                var echoed = context.Request.Headers.Authorization.ToString();
                await HostileCleverProxy.WriteAsync(context, new HostileCleverProxy.Answer(HttpStatusCode.BadRequest, "application/json",
                    $"{{\"message\":\"bad request: {echoed} (token {echoed["Bearer ".Length..]})\"}}", new Dictionary<string, string>()));
                return true;
            };
            var result = await FullSyncFailsAsync(run);
            Assert.Contains("[redacted]", result);
            return result;
        });

    [Fact]
    public Task A_token_error_that_echoes_the_client_id_and_secret_is_reported_without_them() =>
        Case("token error echoes the secret", "after the token is revoked, the token endpoint answers 401 quoting the Basic credentials decoded", "Failed, secret redacted everywhere",
            Default with { Settings = s => s["CleverSyncSOS:CleverAuth:RetryPolicy:MaxRetries"] = "0" }, async run =>
            {
                run.Simulator.Store.RevokeTokens(run.Env.District.Id);
                run.Proxy.Rewrite = async (context, _) =>
                {
                    if (!context.Request.Path.StartsWithSegments("/oauth/tokens"))
                    {
                        return false;
                    }

                    var basic = context.Request.Headers.Authorization.ToString()["Basic ".Length..];
                    var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(basic));
                    await HostileCleverProxy.WriteAsync(context, new HostileCleverProxy.Answer(HttpStatusCode.Unauthorized, "application/json",
                        $"{{\"error\":\"invalid_client\",\"error_description\":\"{basic} is {decoded}\"}}", new Dictionary<string, string>()));
                    return true;
                };
                var result = await FullSyncFailsAsync(run);
                Assert.Contains("[redacted]", result);
                return result;
            });
}
