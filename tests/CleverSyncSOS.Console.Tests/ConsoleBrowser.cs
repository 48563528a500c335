using Deque.AxeCore.Playwright;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using CleverSyncSOS.Tests.Infrastructure;
using CleverSyncSOS.Tests.OperatorConsole;
using static Microsoft.Playwright.Assertions;

namespace CleverSyncSOS.Console.Tests;

/// <summary>
/// One real <c>serve</c> (<see cref="ConsoleSite"/>) and one headless chromium for the whole class; each test opens its own
/// browser context (its own cookies) signed in as the user it needs.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public ConsoleSite Site { get; private set; } = null!;

    /// <summary>The OpenID Connect issuer behind the site's "Sign in with Clever" and "Sign in with Microsoft Entra ID".</summary>
    public TestOpenIdIssuer Issuer { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: TestResults/console/ at the repository's root.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "TestResults", "console");

    public async Task InitializeAsync()
    {
        Issuer = await TestOpenIdIssuer.StartAsync();
        Site = await ConsoleSite.StartAsync(students: 300, issuer: Issuer);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Playwright gives each launch a fresh profile; these keep chromium from trying to reach the internet at start.
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A page in a browser context of its own (no cookies), on the sign-in page.</summary>
    public async Task<IPage> SignInPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Site.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = "America/Chicago",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        return page;
    }

    public async Task<IPage> SignedInAsync(string email, int width = 1280, int height = 900)
    {
        var page = await SignInPageAsync(width, height);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(ConsoleSite.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await ArrivedAsync(page, "/", $"sign-in-of-{email}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>
    /// Waits until the page has navigated to <paramref name="path"/> (or a path it matches). Only the navigation's commit
    /// is waited for, not the browser's load event: headless chromium on a loaded two-core runner has three times left
    /// the load event of a page that had arrived (and whose network had gone idle) unreported for 30 s. What the test
    /// needs of the page is asserted next with Playwright's retrying assertions. On a timeout a screenshot is saved and
    /// the message says where the page was.
    /// </summary>
    public static Task ArrivedAsync(IPage page, string path, string name, float timeout = 30_000) =>
        ArrivedAsync(page, p => p == path, path, name, timeout);

    public static Task ArrivedAsync(IPage page, Regex path, string name, float timeout = 30_000) =>
        ArrivedAsync(page, path.IsMatch, path.ToString(), name, timeout);

    private static async Task ArrivedAsync(IPage page, Func<string, bool> matches, string expected, string name, float timeout)
    {
        try
        {
            await page.WaitForURLAsync(u => matches(new Uri(u).AbsolutePath), new() { WaitUntil = WaitUntilState.Commit, Timeout = timeout });
        }
        catch (TimeoutException e)
        {
            Directory.CreateDirectory(ScreenshotDirectory);
            var screenshot = Path.Combine(ScreenshotDirectory, $"failed-{name}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            throw new TimeoutException($"{name}: the page did not arrive at {expected} within {timeout / 1000} s; it is at {page.Url} (screenshot {screenshot}).", e);
        }
    }

    /// <summary>Saves a full-page screenshot and fails on any serious or critical accessibility violation of the page.</summary>
    public static async Task CheckPageAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, $"{name}: {string.Join(Environment.NewLine, serious)}");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Site is not null)
        {
            await Site.DisposeAsync();
        }

        if (Issuer is not null)
        {
            await Issuer.DisposeAsync();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CleverSyncSOS.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
