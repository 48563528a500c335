using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Host.Service.Api;
using CleverSyncSOS.Tests.Infrastructure;
using CleverSyncSOS.Tests.OperatorConsole;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Service;

public sealed class ApiDistrictLimitTests
{
    private const string Audience = "api://cleversync-test";
    internal const string LimitedKeySecret = "CleverSyncSOS--Api--Key-Limited";
    internal const string LimitedKey = "limited-api-key-0123456789";

    [Fact]
    public async Task A_key_or_a_token_limited_to_a_district_sees_and_triggers_nothing_of_another_and_gets_the_answers_of_a_district_that_does_not_exist()
    {
        await using var issuer = await TestOpenIdIssuer.StartAsync();
        await using var site = await ConsoleSite.StartAsync(students: 30, configure: (c, env) =>
        {
            c["CleverSyncSOS:Api:KeySecretNames:0"] = ApiOptions.DefaultKeySecretName;
            c["CleverSyncSOS:Api:KeySecretNames:1"] = LimitedKeySecret;
            c[$"CleverSyncSOS:Api:KeyDistricts:{LimitedKeySecret}:0"] = env.Simulator.Districts[1].Id;
            c["CleverSyncSOS:Api:JwtAuthority"] = issuer.Authority;
            c["CleverSyncSOS:Api:JwtAudience"] = Audience;
            c["CleverSyncSOS:Api:JwtDistrictClaim"] = "district";
        });
        await site.Env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(LimitedKeySecret, LimitedKey, CancellationToken.None);
        var (own, other) = (site.Second, site.First);
        var (accepted, started) = await site.Serve.SendAsync(HttpMethod.Post, "api/syncs", new { school = other.Schools[0].Id });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var otherRun = started.GetProperty("runId").GetGuid();
        await site.Serve.WaitForRunAsync($"api/syncs/{otherRun}", ServeHarness.Completed);

        var token = issuer.AccessToken(Audience, new Dictionary<string, object> { ["sub"] = "district-automation", ["district"] = own.Id });
        Action<HttpRequestMessage>[] callers =
        [
            r => r.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, LimitedKey),
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token),
        ];
        foreach (var caller in callers)
        {
            async Task<(HttpStatusCode Status, string Answer)> Send(HttpMethod method, string path, object? body = null)
            {
                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
                caller(request);
                using var response = await site.Serve.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                // What a caller reads: the status, and the problem's title and detail (trace ids differ from call to call).
                var answer = text.StartsWith('{') && JsonDocument.Parse(text).RootElement is { } json && json.TryGetProperty("detail", out var detail)
                    ? $"{json.GetProperty("title")}: {detail}" : text;
                return (response.StatusCode, answer);
            }

            Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"api/schools/{own.Schools[0].Id}/history")).Status);
            Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"api/districts/{own.Id}/pauses")).Status);

            // Everything of the other district answers as if it did not exist (the id asked for is the only difference).
            const string Nowhere = "nowhere-0000";
            async Task SameAsMissing(HttpMethod method, string path, string id, Func<string, object>? body = null, string missing = Nowhere)
            {
                var (status, answer) = await Send(method, path, body?.Invoke(id));
                var (missingStatus, missingAnswer) = await Send(method, path.Replace(id, missing, StringComparison.Ordinal), body?.Invoke(missing));
                Assert.Equal(missingStatus, status);
                Assert.Equal(missingAnswer, answer.Replace(id, missing, StringComparison.Ordinal));
                Assert.DoesNotContain(other.Name, answer);
            }

            await SameAsMissing(HttpMethod.Get, $"api/schools/{other.Schools[0].Id}/history", other.Schools[0].Id);
            await SameAsMissing(HttpMethod.Get, $"api/syncs/{otherRun}", otherRun.ToString(), missing: Guid.NewGuid().ToString());
            await SameAsMissing(HttpMethod.Get, $"api/districts/{other.Id}/pauses", other.Id);
            await SameAsMissing(HttpMethod.Post, $"api/districts/{other.Id}/pauses", other.Id,
                _ => new { startsAt = "2030-06-15T00:00:00Z", endsAt = "2030-08-20T00:00:00Z", reason = "summer" });
            await SameAsMissing(HttpMethod.Post, $"api/districts/{other.Id}/pauses", other.Id, _ => new { startsAt = "2030-06-15T00:00:00Z" });
            await SameAsMissing(HttpMethod.Delete, $"api/districts/{other.Id}/pauses/1", other.Id);
            await SameAsMissing(HttpMethod.Post, "api/syncs", other.Schools[0].Id, id => new { school = id });
            await SameAsMissing(HttpMethod.Post, "api/syncs", other.Id, id => new { district = id });
            await SameAsMissing(HttpMethod.Post, "api/syncs", other.Schools[0].Id, id => new { school = id, dryRun = true });
            await SameAsMissing(HttpMethod.Post, "api/syncs", other.Id, id => new { district = id, dryRun = true });
            await SameAsMissing(HttpMethod.Get, $"api/schools/{other.Schools[0].Id}/changes", other.Schools[0].Id);

            // "Every school" means every school of its district.
            var (everyStatus, _) = await Send(HttpMethod.Post, "api/syncs", new { });
            Assert.Equal(HttpStatusCode.Accepted, everyStatus);
        }

        await using var db = await site.Env.SessionDbAsync();
        var otherSchools = await db.Schools.Where(s => s.DistrictId == other.Id).Select(s => s.SchoolId).ToListAsync();
        var limitedRuns = await db.SyncRuns.Where(r => r.RequestedBy == $"api-key:{LimitedKeySecret}" || r.RequestedBy == "jwt:district-automation")
            .Select(r => r.RunId).ToListAsync();
        Assert.Equal(2, limitedRuns.Count);
        Assert.Empty(await db.SyncRunSchools.Where(r => limitedRuns.Contains(r.RunId) && otherSchools.Contains(r.SchoolId)).ToListAsync());
        Assert.NotEmpty(await db.SyncRunSchools.Where(r => limitedRuns.Contains(r.RunId)).ToListAsync());
        Assert.Empty(await db.DistrictPauseWindows.ToListAsync());

        var unlimited = issuer.AccessToken(Audience, new Dictionary<string, object> { ["sub"] = "no-district" });
        Assert.Equal(HttpStatusCode.Unauthorized, await JwtBearerTests.GetWithTokenAsync(site.Serve, $"api/schools/{own.Schools[0].Id}/history", unlimited));
    }
}
