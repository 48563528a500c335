using System.Net;
using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Tests.Clever;

/// <summary>
/// What a Clever-compatible server may answer that the client must never trust: links to other hosts, links that
/// loop, bodies that drip, pages without data, odd records, wild headers, error text echoing credentials.
/// Each runs real HTTP through <see cref="HostileCleverProxy"/> in front of the simulator.
/// </summary>
public sealed class HostileServerTests
{
    /// <summary>A run that hangs is a failure too: bounded here so the test reports it instead of waiting for ever.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

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

    [Fact]
    public async Task A_next_link_to_another_host_fails_the_read_and_the_token_never_reaches_that_host()
    {
        await using var bystander = await HostileCleverProxy.StartAsync(upstream: null);
        await using var env = await StartAsync();
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        var before = await env.StudentsAsync(school.Id);
        env.Proxy!.Rewrite = async (context, answer) =>
        {
            if (!IsStudentPage(context))
            {
                return false;
            }

            var page = JsonNode.Parse(answer.Body)!;
            foreach (var link in page["links"]!.AsArray())
            {
                if ((string?)link!["rel"] == "next")
                {
                    link["uri"] = new Uri(bystander.BaseUrl, (string)link["uri"]!).ToString();
                }
            }

            await HostileCleverProxy.WriteAsync(context, answer with { Body = page.ToJsonString() });
            return true;
        };

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true)).WaitAsync(Bound));

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("not to the configured Clever server", result.Error);
        Assert.Empty(bystander.Requests);
        Assert.Equal(before.Select(s => (s.CleverStudentId, s.UpdatedAt)), (await env.StudentsAsync(school.Id)).Select(s => (s.CleverStudentId, s.UpdatedAt)));
    }

    [Fact]
    public async Task A_next_link_that_repeats_its_page_ends_the_read_as_failed_instead_of_looping()
    {
        await using var env = await StartAsync();
        await env.OnboardAsync();
        env.Proxy!.Rewrite = async (context, answer) =>
        {
            if (!IsStudentPage(context) || context.Request.Query.ContainsKey("starting_after") is false)
            {
                return false;
            }

            // Every later page claims the same page comes next.
            var page = JsonNode.Parse(answer.Body)!;
            page["links"] = new JsonArray(new JsonObject { ["rel"] = "next", ["uri"] = context.Request.Path.Value + context.Request.QueryString.Value });
            await HostileCleverProxy.WriteAsync(context, answer with { Body = page.ToJsonString() });
            return true;
        };

        var result = Assert.Single(await env.SyncAsync().WaitAsync(Bound));

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("leads back to a page already read", result.Error);
        Assert.True(env.Proxy.Requests.Count < 20, $"{env.Proxy.Requests.Count} requests");
    }

    [Fact]
    public async Task A_data_page_dripped_a_byte_at_a_time_is_timed_out_and_the_sync_ends()
    {
        await using var env = await StartAsync(configure: s =>
        {
            s["CleverSyncSOS:CleverApi:RequestTimeoutSeconds"] = "1";
            s["CleverSyncSOS:CleverAuth:RetryPolicy:MaxRetries"] = "1";
        });
        await env.OnboardAsync();
        env.Proxy!.Rewrite = async (context, answer) =>
        {
            if (!IsStudentPage(context))
            {
                return false;
            }

            await HostileCleverProxy.DripAsync(context, answer.Body);
            return true;
        };

        var result = Assert.Single(await env.SyncAsync().WaitAsync(Bound));

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("did not answer", result.Error);
        Assert.Empty(await env.StudentsAsync(env.District.Schools[0].Id));
    }

    [Fact]
    public async Task A_token_answer_dripped_a_byte_at_a_time_is_timed_out_and_the_sync_ends()
    {
        await using var env = await StartAsync(configure: s =>
        {
            s["CleverSyncSOS:CleverAuth:RequestTimeoutSeconds"] = "1";
            s["CleverSyncSOS:CleverAuth:RetryPolicy:MaxRetries"] = "1";
        });
        await env.OnboardAsync();
        env.Proxy!.Rewrite = async (context, answer) =>
        {
            if (!context.Request.Path.StartsWithSegments("/oauth/tokens"))
            {
                return false;
            }

            await HostileCleverProxy.DripAsync(context, answer.Body);
            return true;
        };

        var result = Assert.Single(await env.SyncAsync().WaitAsync(Bound));

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("did not answer in time", result.Error);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"data\": null}")]
    [InlineData("{\"data\": null, \"links\": []}")]
    public async Task A_page_without_a_data_array_is_a_failed_read_not_an_empty_roster(string body)
    {
        // Below the guard's 10-record minimum, an empty roster would delete everyone.
        await using var env = await StartAsync(students: 6, teachers: 2);
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

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true)));

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("no data array", result.Error);
        Assert.Equal(6, (await env.StudentsAsync(school.Id)).Count);
        Assert.Equal(2, (await env.TeachersAsync(school.Id)).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Records_with_numbers_for_text_null_entries_wrong_shapes_or_NUL_in_ids_fail_alone(DatabaseProvider provider)
    {
        await using var env = await StartAsync(provider, students: 12);
        await env.OnboardAsync();
        var school = env.District.Schools[0];
        await env.SyncAsync();
        string? renamed = null;
        env.Proxy!.Rewrite = async (context, answer) =>
        {
            if (!IsStudentPage(context) || context.Request.Query.ContainsKey("starting_after"))
            {
                return false;
            }

            var page = JsonNode.Parse(answer.Body)!;
            var data = page["data"]!.AsArray();
            data[0]!["data"]!["roles"]!["student"]!["grade"] = 5;         // a number for text: read as "5"
            renamed = (string)data[1]!["data"]!["id"]!;
            data[1]!["data"]!["id"] = 12345;                                // a number id: read as "12345"
            data[2] = null;                                                 // a null entry
            data[3]!["data"]!["name"] = "Ada Lovelace";                     // a string for an object
            data[4]!["data"]!["id"] = "bad\u0000id";                        // NUL, which PostgreSQL refuses
            await HostileCleverProxy.WriteAsync(context, answer with { Body = page.ToJsonString() });
            return true;
        };

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true, AllowMassDelete: true)));

        Assert.Equal(SyncStatus.Partial, result.Status);
        var students = result.Entities.Single(e => e.EntityType == SyncEntityType.Student);
        Assert.Equal(3, students.Failed); // the null entry, the wrong shape, the NUL id
        var stored = await env.StudentsAsync(school.Id);
        Assert.Contains(stored, s => s.Grade == "5");
        Assert.Contains(stored, s => s.CleverStudentId == "12345");
        Assert.DoesNotContain(stored, s => s.CleverStudentId.Contains('\0', StringComparison.Ordinal));
        Assert.Contains(env.Logs.Lines, l => l.Contains("contains a NUL character"));
        Assert.DoesNotContain(stored, s => s.CleverStudentId == renamed);
    }

    [Fact]
    public async Task Rate_limit_headers_out_of_any_range_on_a_successful_answer_are_ignored()
    {
        await using var env = await StartAsync();
        await env.OnboardAsync();
        env.Proxy!.Rewrite = async (context, answer) =>
        {
            var headers = new Dictionary<string, string>(answer.Headers, StringComparer.OrdinalIgnoreCase)
            {
                ["X-Ratelimit-Limit"] = "1200", ["X-Ratelimit-Remaining"] = "0", ["X-Ratelimit-Reset"] = "99999999999999999",
            };
            await HostileCleverProxy.WriteAsync(context, answer with { Headers = headers });
            return true;
        };

        var result = Assert.Single(await env.SyncAsync().WaitAsync(Bound));

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal(30, (await env.StudentsAsync(env.District.Schools[0].Id)).Count);
    }

    [Fact]
    public async Task An_error_body_that_echoes_the_bearer_token_is_stored_and_logged_without_it()
    {
        await using var env = await StartAsync();
        await env.OnboardAsync();
        env.Proxy!.Rewrite = async (context, answer) =>
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

        var result = Assert.Single(await env.SyncAsync());

        using var reader = env.Reader();
        var token = await reader.GetTokenAsync();
        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("[redacted]", result.Error);
        Assert.DoesNotContain(token, result.Error);
        Assert.All(await env.HistoryAsync(env.District.Schools[0].Id), h => Assert.DoesNotContain(token, h.ErrorMessage ?? ""));
        Assert.DoesNotContain(env.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_error_that_echoes_the_client_id_and_secret_is_reported_without_them()
    {
        await using var env = await StartAsync(configure: s => s["CleverSyncSOS:CleverAuth:RetryPolicy:MaxRetries"] = "0");
        await env.OnboardAsync();
        env.Proxy!.Rewrite = async (context, answer) =>
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

        var result = Assert.Single(await env.SyncAsync());

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("[redacted]", result.Error);
        foreach (var secret in new[] { env.District.ClientSecret, env.District.ClientId })
        {
            Assert.DoesNotContain(secret, result.Error);
            Assert.DoesNotContain(env.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }
}
