using System.Net;

namespace CleverSyncSOS.Tests.OperatorConsole;

public sealed class ConsoleProxyTests
{
    [Fact]
    public async Task Behind_a_configured_TLS_proxy_cookies_are_Secure_and_redirects_https_and_the_headers_of_anyone_else_are_ignored()
    {
        await using (var proxied = await ConsoleSite.StartAsync(students: 10, configure: (c, _) => c["CleverSyncSOS:Proxy:KnownProxies:0"] = "127.0.0.1"))
        {
            using var browser = new ConsoleClient(proxied.BaseAddress, ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Host", "console.example.org"));
            var toLogin = await browser.GetAsync("/");
            Assert.StartsWith("https://console.example.org/account/login", toLogin.Headers.Location?.ToString());
            var signedIn = await browser.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = ConsoleSite.Viewer, ["Password"] = ConsoleSite.Password });
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.All(browser.SetCookieHeaders, h => Assert.Contains("secure", h, StringComparison.OrdinalIgnoreCase));

            // Plain http through the proxy from another machine: no password is taken.
            using var clear = new ConsoleClient(proxied.BaseAddress, ("X-Forwarded-Proto", "http"), ("X-Forwarded-For", "203.0.113.7"));
            var refused = await clear.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = ConsoleSite.Viewer, ["Password"] = ConsoleSite.Password });
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("Sign in over HTTPS", await refused.Content.ReadAsStringAsync());
        }

        await using var direct = await ConsoleSite.StartAsync(students: 10, configure: (c, _) => c["CleverSyncSOS:Proxy:KnownProxies:0"] = "10.0.0.4");
        using var spoofing = new ConsoleClient(direct.BaseAddress, ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "console.example.org"));
        var login = await spoofing.GetAsync("/");
        Assert.StartsWith($"{direct.BaseAddress.GetLeftPart(UriPartial.Authority)}/account/login", login.Headers.Location?.ToString());
        await spoofing.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = ConsoleSite.Viewer, ["Password"] = ConsoleSite.Password });
        Assert.Contains(spoofing.SetCookieHeaders, h => h.StartsWith("cleversync.console=", StringComparison.Ordinal));
        Assert.All(spoofing.SetCookieHeaders, h => Assert.DoesNotContain("secure", h, StringComparison.OrdinalIgnoreCase));
    }
}
