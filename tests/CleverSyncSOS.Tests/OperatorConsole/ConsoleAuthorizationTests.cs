using System.Net;
using CleverSyncSOS.Host.OperatorConsole.Users;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.OperatorConsole;

public sealed class ConsoleAuthorizationTests
{
    private enum Need { Anyone, Viewer, Operator, Admin }

    [Fact]
    public async Task Every_console_route_refuses_the_anonymous_and_each_role_below_the_one_it_needs()
    {
        await using var site = await ConsoleSite.StartAsync(students: 30);
        var district = site.First.Id;
        var school = site.First.Schools[0].Id;
        Guid run;
        await using (var db = await site.Env.SessionDbAsync())
        {
            run = await db.SyncHistory.Where(h => h.RunId != null).Select(h => h.RunId!.Value).FirstAsync();
        }

        await site.AddUserAsync("spare@example.org", "Viewer");
        string spareId;
        await using (var scope = site.Serve.App.Services.CreateAsyncScope())
        {
            spareId = (await scope.ServiceProvider.GetRequiredService<ConsoleUserAccounts>().ListAsync()).Single(u => u.Email == "spare@example.org").Id;
        }

        (string Method, string Path, string FormPage, Need Need, Dictionary<string, string> Form)[] routes =
        [
            ("GET", "/account/login", "", Need.Anyone, []),
            ("GET", "/account/signed-in?returnUrl=/", "", Need.Anyone, []),
            ("GET", "/account/external", "", Need.Anyone, []),
            ("GET", "/", "", Need.Viewer, []),
            ("GET", $"/districts/{district}", "", Need.Viewer, []),
            ("GET", $"/schools/{school}", "", Need.Viewer, []),
            ("GET", $"/runs/{run}", "", Need.Viewer, []),
            ("GET", $"/runs/{run}?handler=live", "", Need.Viewer, []),
            ("GET", "/system-health", "", Need.Viewer, []),
            ("GET", "/account/logout", "", Need.Viewer, []),
            ("GET", "/users", "", Need.Admin, []),
            ("POST", $"/schools/{school}?handler=sync", $"/schools/{school}", Need.Operator, []),
            ("POST", $"/schools/{school}?handler=full", $"/schools/{school}", Need.Operator, []),
            ("POST", $"/schools/{school}?handler=approve", $"/schools/{school}", Need.Operator, []),
            ("POST", $"/districts/{district}?handler=sync", $"/districts/{district}", Need.Operator, []),
            ("POST", $"/districts/{district}?handler=pause", $"/districts/{district}", Need.Operator, new() { ["PauseHours"] = "2" }),
            ("POST", $"/districts/{district}?handler=resume", $"/districts/{district}", Need.Operator, new() { ["window"] = "0" }),
            ("POST", "/users?handler=unlock", "/account/login", Need.Admin, new() { ["userId"] = spareId }),
            ("POST", "/users?handler=add", "/account/login", Need.Admin, new() { ["Email"] = "new@example.org", ["Role"] = "Viewer", ["Password"] = ConsoleSite.Password }),
            ("POST", "/users?handler=delete", "/account/login", Need.Admin, new() { ["userId"] = spareId }),
        ];

        (string? Email, Need Has)[] callers = [(null, Need.Anyone), (ConsoleSite.Viewer, Need.Viewer), (ConsoleSite.Operator, Need.Operator), (ConsoleSite.Admin, Need.Admin)];
        var failures = new List<string>();
        foreach (var (email, has) in callers)
        {
            using var client = await site.ClientAsync(email);
            foreach (var route in routes)
            {
                using var response = route.Method == "GET"
                    ? await client.GetAsync(route.Path)
                    : await client.PostFormAsync(route.FormPage.Length > 0 ? route.FormPage : "/account/login", route.Path, new(route.Form));
                var location = response.Headers.Location is { } to ? new Uri(site.BaseAddress, to).PathAndQuery : "";
                var outcome = (int)response.StatusCode + (location.Length > 0 ? $" → {location}" : "");
                var expected = has >= route.Need ? "allowed" : email is null ? "sign-in" : "403";
                var actual = response.StatusCode == HttpStatusCode.Forbidden ? "403"
                    : response.StatusCode == HttpStatusCode.Redirect && location.StartsWith("/account/login?", StringComparison.Ordinal) ? "sign-in"
                    : response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect ? "allowed" : outcome;
                if (actual != expected)
                {
                    failures.Add($"{email ?? "anonymous"} {route.Method} {route.Path}: expected {expected}, got {outcome}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task A_user_limited_to_a_district_sees_nothing_of_the_other_district_in_pages_live_json_or_actions()
    {
        await using var site = await ConsoleSite.StartAsync(students: 30);
        using var limited = await site.ClientAsync(ConsoleSite.Limited);
        var other = site.First;
        var own = site.Second;
        var (accepted, body) = await site.Serve.SendAsync(HttpMethod.Post, "api/syncs", new { school = other.Schools[0].Id });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var otherRun = body.GetProperty("runId").GetGuid();
        await site.Serve.WaitForRunAsync($"api/syncs/{otherRun}", Service.ServeHarness.Completed);

        var overview = await (await limited.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.All(own.Schools, s => Assert.Contains($"/schools/{s.Id}\"", overview));
        Assert.All(other.Schools, s => Assert.DoesNotContain(s.Id, overview));
        Assert.DoesNotContain(other.Name, overview);

        Assert.Equal(HttpStatusCode.OK, (await limited.GetAsync($"/districts/{own.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.GetAsync($"/districts/{other.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.GetAsync($"/schools/{other.Schools[0].Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.GetAsync($"/runs/{otherRun}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.GetAsync($"/runs/{otherRun}?handler=live")).StatusCode);
        var health = await (await limited.GetAsync("/system-health")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(other.Name, health);
        Assert.DoesNotContain(other.Schools[0].Name, health);

        var refused = await limited.PostFormAsync($"/districts/{own.Id}", $"/districts/{other.Id}?handler=sync", []);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var refusedSchool = await limited.PostFormAsync($"/districts/{own.Id}", $"/schools/{other.Schools[0].Id}?handler=sync", []);
        Assert.Equal(HttpStatusCode.NotFound, refusedSchool.StatusCode);
        await using (var db = await site.Env.SessionDbAsync())
        {
            Assert.False(await db.SyncRuns.AnyAsync(r => r.RequestedBy == $"console:{ConsoleSite.Limited}"), "nothing was queued for the other district");
        }
    }

    [Fact]
    public async Task Sign_in_sets_an_HttpOnly_SameSite_cookie_rejects_a_form_without_its_antiforgery_token_and_locks_after_five_wrong_passwords()
    {
        await using var site = await ConsoleSite.StartAsync(students: 30);
        using var viewer = await site.ClientAsync(ConsoleSite.Viewer);
        var cookie = Assert.Single(viewer.SetCookieHeaders, h => h.StartsWith("cleversync.console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var operatorClient = await site.ClientAsync(ConsoleSite.Operator);
        var school = site.First.Schools[0].Id;
        var forged = await operatorClient.PostAsync($"/schools/{school}?handler=sync", []);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var anonymous = await site.ClientAsync(null);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await anonymous.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = ConsoleSite.Admin, ["Password"] = "not the password" });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var locked = await anonymous.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = ConsoleSite.Admin, ["Password"] = ConsoleSite.Password });
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync());
        await using var db = await site.Env.SessionDbAsync();
        Assert.False(await db.SyncRuns.AnyAsync(r => r.RequestedBy == $"console:{ConsoleSite.Operator}"), "the forged post queued nothing");
    }
}
