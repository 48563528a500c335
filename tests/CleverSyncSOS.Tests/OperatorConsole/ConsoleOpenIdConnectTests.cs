using System.Net;
using System.Security.Cryptography;
using CleverSyncSOS.Host.OperatorConsole.SignIn;
using CleverSyncSOS.Tests.Infrastructure;

namespace CleverSyncSOS.Tests.OperatorConsole;

public sealed class ConsoleOpenIdConnectTests
{
    private const string Providers = "CleverSyncSOS:Console:OpenIdConnect:Providers";

    [Fact]
    public async Task A_Clever_district_admin_signs_in_limited_to_its_district_and_an_Entra_app_role_becomes_its_console_role()
    {
        await using var issuer = await TestOpenIdIssuer.StartAsync();
        await using var site = await StartSiteAsync(issuer);
        var own = site.Second;
        var other = site.First;

        issuer.NextUser = new() { ["sub"] = "clever-user-1", ["user_id"] = "clever-user-1", ["user_type"] = "district_admin", ["district"] = own.Id, ["email"] = "it@district.example" };
        using var clever = new ConsoleClient(site.BaseAddress);
        var landed = await SignInThroughAsync(clever, "clever", issuer);
        Assert.True(landed.StatusCode == HttpStatusCode.Redirect, await landed.Content.ReadAsStringAsync());
        Assert.StartsWith("/account/signed-in", landed.Headers.Location?.ToString());
        Assert.Equal("basic", issuer.LastClientAuthentication);
        var cookie = Assert.Single(clever.SetCookieHeaders, h => h.StartsWith("cleversync.console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        var overview = await (await clever.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains("it@district.example (Operator)", overview);
        Assert.All(own.Schools, s => Assert.Contains($"/schools/{s.Id}\"", overview));
        Assert.All(other.Schools, s => Assert.DoesNotContain(s.Id, overview));
        Assert.DoesNotContain(other.Name, overview);
        Assert.Equal(HttpStatusCode.NotFound, (await clever.GetAsync($"/schools/{other.Schools[0].Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clever.GetAsync($"/districts/{other.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clever.GetAsync("/users")).StatusCode);
        var sync = await clever.PostFormAsync($"/schools/{own.Schools[0].Id}", $"/schools/{own.Schools[0].Id}?handler=sync", []);
        Assert.Equal(HttpStatusCode.Redirect, sync.StatusCode);

        issuer.NextUser = new() { ["sub"] = "entra-oid-7", ["preferred_username"] = "staff@vendor.example", ["roles"] = new[] { "Other.Role", "CleverSync.Admin" } };
        using var entra = new ConsoleClient(site.BaseAddress);
        await SignInThroughAsync(entra, "entra", issuer);
        Assert.Equal("post", issuer.LastClientAuthentication);
        var users = await entra.GetAsync("/users");
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        var everything = await (await entra.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains("staff@vendor.example (Admin)", everything);
        Assert.All(site.Env.Simulator.Districts.SelectMany(d => d.Schools), s => Assert.Contains($"/schools/{s.Id}\"", everything));
    }

    [Fact]
    public async Task No_one_gets_in_without_a_mapped_role_or_with_a_token_from_another_issuer_or_with_a_bad_signature()
    {
        await using var issuer = await TestOpenIdIssuer.StartAsync();
        await using var site = await StartSiteAsync(issuer);

        issuer.NextUser = new() { ["sub"] = "entra-oid-8", ["preferred_username"] = "intern@vendor.example", ["roles"] = new[] { "Other.Role" } };
        await AssertRefusedAsync(site, issuer, "entra", "Other.Role");
        issuer.NextUser = new() { ["sub"] = "entra-oid-9", ["preferred_username"] = "guest@vendor.example" };
        await AssertRefusedAsync(site, issuer, "entra", "has no role");
        issuer.NextUser = new() { ["sub"] = "clever-teacher", ["user_id"] = "clever-teacher", ["user_type"] = "teacher", ["district"] = site.First.Id };
        await AssertRefusedAsync(site, issuer, "clever", "teacher");
        issuer.NextUser = new() { ["sub"] = "clever-admin-2", ["user_id"] = "clever-admin-2", ["user_type"] = "district_admin" };
        await AssertRefusedAsync(site, issuer, "clever", "which district");

        issuer.NextUser = new() { ["sub"] = "entra-oid-7", ["roles"] = new[] { "CleverSync.Admin" } };
        issuer.IssuerInTokens = "http://127.0.0.1:1/another-issuer";
        await AssertRefusedAsync(site, issuer, "entra", "could not be verified");
        issuer.IssuerInTokens = null;
        using var forger = RSA.Create(2048);
        issuer.ForgeWith = forger;
        await AssertRefusedAsync(site, issuer, "entra", "could not be verified");
    }

    [Fact]
    public async Task Serve_refuses_to_start_with_an_unusable_sign_in_provider_district_limit_or_proxy_naming_each_key()
    {
        using var dir = new Infrastructure.TempDirectory();
        var app = Host.Service.ServiceHost.Build(new Host.Hosting.CommonSettings(dir.Path, Verbose: false), "http://127.0.0.1:0", new Dictionary<string, string?>
        {
            [$"{Providers}:entra:Preset"] = "EntraId",
            [$"{Providers}:entra:Authority"] = "http://login.example/tenant/v2.0", // plain http off this machine
            [$"{Providers}:entra:ClientSecret"] = "pasted-here",
            [$"{Providers}:clever:Preset"] = "Clever",
            [$"{Providers}:clever:ClientId"] = "abc",
            [$"{Providers}:clever:RoleMap:district_admin"] = "Admin",
            [$"{Providers}:okta:Authority"] = "https://okta.example",
            [$"{Providers}:okta:ClientId"] = "abc",
            [$"{Providers}:okta:RoleMap:staff"] = "Superuser",
            [$"{Providers}:bad name:Authority"] = "https://x.example",
            ["CleverSyncSOS:Api:KeyDistricts:CleverSyncSOS--Api--Key-Nobody:0"] = "district-1",
            ["CleverSyncSOS:Api:KeyDistricts:CleverSyncSOS--Api--Key:0"] = "..",
            ["CleverSyncSOS:Proxy:KnownProxies:0"] = "proxy.internal",
            ["CleverSyncSOS:Proxy:KnownNetworks:0"] = "10.0.0.0/33",
        });
        await using (app)
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
            var failures = string.Join("\n", Host.Hosting.StartupFailures.Describe(ex) ?? []);
            Assert.Contains($"{Providers}:entra:Authority must use https", failures);
            Assert.Contains($"{Providers}:entra:ClientId is required", failures);
            Assert.Contains($"{Providers}:entra:ClientSecret must not be in configuration", failures);
            Assert.DoesNotContain("pasted-here", failures);
            Assert.Contains($"{Providers}:clever:RoleMap:district_admin cannot be Admin", failures);
            Assert.Contains($"{Providers}:okta:RoleClaim is required", failures);
            Assert.Contains($"{Providers}:okta:RoleMap:staff must be one of", failures);
            Assert.Contains($"{Providers}:bad name: a provider's name", failures);
            Assert.Contains("CleverSyncSOS:Api:KeyDistricts:CleverSyncSOS--Api--Key-Nobody names no key", failures);
            Assert.Contains("CleverSyncSOS:Api:KeyDistricts:CleverSyncSOS--Api--Key '..' is not a district id", failures);
            Assert.Contains("CleverSyncSOS:Proxy:KnownProxies 'proxy.internal' is not an IP address", failures);
            Assert.Contains("CleverSyncSOS:Proxy:KnownNetworks '10.0.0.0/33' is not a network", failures);
        }
    }

    private static Task<ConsoleSite> StartSiteAsync(TestOpenIdIssuer issuer) => ConsoleSite.StartAsync(students: 30, issuer: issuer);

    /// <summary>Follows the authorization code flow as a browser would: the console's button, the issuer, back to the console's callback.</summary>
    private static async Task<HttpResponseMessage> SignInThroughAsync(ConsoleClient client, string provider, TestOpenIdIssuer issuer)
    {
        var login = await (await client.GetAsync("/account/login")).Content.ReadAsStringAsync();
        Assert.Contains($"href=\"/account/external?provider={provider}&amp;returnUrl=%2F\"", login);
        var start = await client.GetAsync($"/account/external?provider={provider}&returnUrl=%2F");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith($"{issuer.Authority}/authorize?", start.Headers.Location!.ToString());
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var atIssuer = await browser.GetAsync(start.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, atIssuer.StatusCode);
        return await client.GetAsync(atIssuer.Headers.Location!.PathAndQuery);
    }

    private static async Task AssertRefusedAsync(ConsoleSite site, TestOpenIdIssuer issuer, string provider, string why)
    {
        using var client = new ConsoleClient(site.BaseAddress);
        var answer = await SignInThroughAsync(client, provider, issuer);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Contains(why, WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("cleversync.console", client.Cookies.Keys);
        var overview = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
        Assert.Equal("/account/login", new Uri(site.BaseAddress, overview.Headers.Location!).AbsolutePath);
    }
}
