using System.Text.RegularExpressions;
using CleverSyncSOS.Tests.OperatorConsole;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CleverSyncSOS.Console.Tests;

public sealed partial class ConsoleBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private ConsoleSite Site => browser.Site;

    [BrowserFact]
    public async Task Overview_lists_every_school_with_its_last_sync_and_every_page_passes_the_accessibility_scan_at_1280_and_390_px()
    {
        var page = await browser.SignedInAsync(ConsoleSite.Admin);
        await Expect(page.Locator("tbody tr[data-school]")).ToHaveCountAsync(4);
        foreach (var school in Site.First.Schools.Concat(Site.Second.Schools))
        {
            var row = page.Locator($"tr[data-school='{school.Id}']");
            await Expect(row).ToContainTextAsync(school.Name);
            await Expect(row.Locator("[data-last-sync] time")).ToHaveAttributeAsync("title", UtcPattern());
        }

        await ConsoleBrowser.CheckPageAsync(page, "overview");

        await page.GetByRole(AriaRole.Link, new() { Name = Site.First.Name }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Site.First.Name, Level = 1 })).ToBeVisibleAsync();
        await ConsoleBrowser.CheckPageAsync(page, "district");

        await page.GetByRole(AriaRole.Link, new() { Name = Site.First.Schools[0].Name }).ClickAsync();
        await Expect(page.Locator("svg.chart rect[data-series=created]")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("svg.chart")).ToHaveAttributeAsync("role", "img");
        await ConsoleBrowser.CheckPageAsync(page, "school");
        var schoolUrl = page.Url;

        await page.Locator("tbody tr a[href^='/runs/']").First.ClickAsync();
        await Expect(page.Locator("section[data-school] [data-status]").First).ToHaveTextAsync("Success");
        await ConsoleBrowser.CheckPageAsync(page, "run");
        var runUrl = page.Url;

        await page.GetByRole(AriaRole.Link, new() { Name = "Health" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Health", Level = 1 })).ToBeVisibleAsync();
        await ConsoleBrowser.CheckPageAsync(page, "health");

        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = ConsoleSite.Limited, Exact = true })).ToBeVisibleAsync();
        await ConsoleBrowser.CheckPageAsync(page, "users");

        // A phone's width: the pages with wide tables, scanned again (their tables scroll sideways and must take the keyboard).
        await page.SetViewportSizeAsync(390, 844);
        foreach (var (url, name) in new[] { ("/", "overview-390"), (schoolUrl, "school-390"), (runUrl, "run-390") })
        {
            await page.GotoAsync(url);
            await ConsoleBrowser.CheckPageAsync(page, name);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await ConsoleBrowser.CheckPageAsync(page, "sign-in-390");
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Signing_in_with_Clever_in_the_browser_makes_a_district_admin_an_Operator_who_sees_only_its_district()
    {
        browser.Issuer.NextUser = new()
        {
            ["sub"] = "clever-admin-9", ["user_id"] = "clever-admin-9", ["user_type"] = "district_admin", ["district"] = Site.Second.Id,
            ["email"] = "it@second.example",
        };
        var page = await browser.SignInPageAsync();
        await ConsoleBrowser.CheckPageAsync(page, "sign-in");
        // The first challenge fetches the issuer's discovery document and keys: slow on a loaded two-core machine.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Clever" }).ClickAsync(new() { Timeout = 90_000 });

        await ConsoleBrowser.ArrivedAsync(page, "/", "sign-in-with-clever", timeout: 90_000);
        await Expect(page.Locator("header .who")).ToContainTextAsync("it@second.example (Operator)");
        await Expect(page.Locator("tbody tr[data-school]")).ToHaveCountAsync(Site.Second.Schools.Count);
        await Expect(page.Locator("main")).Not.ToContainTextAsync(Site.First.Name);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Sync_now_shows_the_run_progress_live_and_ends_in_success()
    {
        var school = Site.First.Schools[0];
        await using (var db = await Site.Env.SessionDbAsync())
        {
            // Flagged for a full sync, the run reads every page, so there is progress to watch.
            await db.Schools.Where(s => s.CleverSchoolId == school.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.RequiresFullSync, true));
        }

        var page = await browser.SignedInAsync(ConsoleSite.Operator);
        await page.GotoAsync($"/schools/{school.Id}");
        Site.Env.Simulator.Faults.LatencyMilliseconds = 400;
        try
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
            await ConsoleBrowser.ArrivedAsync(page, RunUrl(), "sync-now");
            var section = page.Locator($"section[data-school='{school.Id}']");
            await Expect(section.Locator("[data-progress]")).ToHaveTextAsync(ProgressPattern(), new() { Timeout = 30_000 });
            await ConsoleBrowser.CheckPageAsync(page, "run-live");
        }
        finally
        {
            Site.Env.Simulator.Faults.LatencyMilliseconds = 0;
        }

        await Expect(page.Locator($"section[data-school='{school.Id}'] [data-status]")).ToHaveTextAsync("Success", new() { Timeout = 60_000 });
        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Completed", new() { Timeout = 10_000 });
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task A_viewer_sees_no_action_button_and_an_action_posted_anyway_answers_403()
    {
        var page = await browser.SignedInAsync(ConsoleSite.Viewer);
        var school = Site.First.Schools[0];
        await page.GotoAsync($"/schools/{school.Id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = school.Name, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("main button")).ToHaveCountAsync(0);
        await ConsoleBrowser.CheckPageAsync(page, "school-as-viewer");

        // The sign-out form's antiforgery token is valid for any form of this user: what refuses the post is the role.
        foreach (var action in new[] { $"/schools/{school.Id}?handler=sync", $"/schools/{school.Id}?handler=full", $"/schools/{school.Id}?handler=approve", $"/districts/{Site.First.Id}?handler=sync", $"/districts/{Site.First.Id}?handler=pause" })
        {
            var status = await page.EvaluateAsync<int>(
                "url => fetch(url, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ __RequestVerificationToken: document.querySelector('input[name=__RequestVerificationToken]').value }) }).then(r => r.status)",
                action);
            Assert.True(status == 403, $"{action}: {status}");
        }

        await page.GotoAsync($"/districts/{Site.First.Id}");
        await Expect(page.Locator("main button")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task A_user_limited_to_one_district_sees_only_that_districts_schools()
    {
        var page = await browser.SignedInAsync(ConsoleSite.Limited);
        var rows = page.Locator("tbody tr[data-school]");
        await Expect(rows).ToHaveCountAsync(Site.Second.Schools.Count);
        foreach (var school in Site.Second.Schools)
        {
            await Expect(page.Locator($"tr[data-school='{school.Id}']")).ToBeVisibleAsync();
        }

        await Expect(page.Locator("main")).Not.ToContainTextAsync(Site.First.Name);
        await Expect(page.Locator("#district option")).ToHaveCountAsync(2); // "All districts" and its own
        await ConsoleBrowser.CheckPageAsync(page, "overview-limited");
        var response = await page.GotoAsync($"/districts/{Site.First.Id}");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task A_simulated_mass_deletion_is_held_with_its_numbers_then_approved_from_the_school_page()
    {
        var school = Site.First.Schools[1];
        Site.Env.Simulator.Store.KeepOnlyFraction(school.Id, "student", 0.1, withEvents: false);
        var page = await browser.SignedInAsync(ConsoleSite.Operator);
        await page.GotoAsync($"/schools/{school.Id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Full sync" }).ClickAsync();
        await ConsoleBrowser.ArrivedAsync(page, RunUrl(), "full-sync");
        await Expect(page.Locator($"section[data-school='{school.Id}'] [data-status]")).ToHaveTextAsync("Partial", new() { Timeout = 60_000 });

        await page.GotoAsync($"/schools/{school.Id}");
        var held = page.Locator("section.held");
        // Clever now serves a tenth of the school's students (messy data puts a few in two schools, so the total varies).
        await Expect(held).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"would delete \d+ of \d+ students \(90 %\)"));
        await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Held");
        await ConsoleBrowser.CheckPageAsync(page, "school-held");

        await held.GetByRole(AriaRole.Button, new() { Name = "Approve deletion and run full sync" }).ClickAsync();
        await ConsoleBrowser.ArrivedAsync(page, RunUrl(), "approve-deletion");
        await Expect(page.Locator($"section[data-school='{school.Id}'] [data-status]")).ToHaveTextAsync("Success", new() { Timeout = 60_000 });

        await page.GotoAsync($"/schools/{school.Id}");
        await Expect(page.Locator("section.held")).ToHaveCountAsync(0);
        using var reader = Site.Env.Reader();
        var served = await reader.GetSchoolUsersAsync(school.Id, "student");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync(served.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(served.Select(s => s.Id).Order(), (await Site.Env.StudentsAsync(school.Id)).Select(s => s.CleverStudentId).Order());
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$")]
    private static partial Regex UtcPattern();

    [GeneratedRegex(@"records read")]
    private static partial Regex ProgressPattern();

    [GeneratedRegex(@"/runs/[0-9a-f-]{36}$")]
    private static partial Regex RunUrl();
}
