using System.Net;
using System.Text.RegularExpressions;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Host.OperatorConsole.SignIn;
using CleverSyncSOS.Host.OperatorConsole.Users;
using CleverSyncSOS.Persistence.Users;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Tests.Infrastructure;
using CleverSyncSOS.Tests.Service;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.OperatorConsole;

/// <summary>
/// A real <c>serve</c> against the simulator with two onboarded districts (synced once) and a console user per role, plus an
/// Operator limited to the second district. The browser tests use it too.
/// </summary>
public sealed partial class ConsoleSite : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";
    public const string Admin = "admin@example.org";
    public const string Operator = "operator@example.org";
    public const string Viewer = "viewer@example.org";
    public const string Limited = "limited@example.org";

    private ConsoleSite(SyncTestEnvironment env, ServeHarness serve)
    {
        Env = env;
        Serve = serve;
    }

    public SyncTestEnvironment Env { get; }
    public ServeHarness Serve { get; }
    public Uri BaseAddress => Serve.Http.BaseAddress!;
    public SimulatedDistrict First => Env.Simulator.Districts[0];
    public SimulatedDistrict Second => Env.Simulator.Districts[1];

    /// <summary>
    /// Starts the site; with <paramref name="issuer"/>, two sign-in providers use it: <c>clever</c> (Clever preset, a
    /// district admin is an Operator of its district) and <c>entra</c> (Entra ID preset), their client secrets stored.
    /// </summary>
    public static async Task<ConsoleSite> StartAsync(int students = 120, Action<Dictionary<string, string?>, SyncTestEnvironment>? configure = null,
        TestOpenIdIssuer? issuer = null)
    {
        var env = await SyncTestEnvironment.StartAsync(new SimulatorOptions
        {
            Seed = 11, Districts = 2, SchoolsPerDistrict = 2, StudentsPerSchool = students, TeachersPerSchool = 12,
        });
        try
        {
            await env.OnboardAsync(district: env.Simulator.Districts[0]);
            await env.OnboardAsync(district: env.Simulator.Districts[1]);
            await env.SyncAsync();
            var serve = await ServeHarness.StartAsync(env, c =>
            {
                if (issuer is not null)
                {
                    SignInThrough(c, issuer);
                }

                configure?.Invoke(c, env);
            });
            if (issuer is not null)
            {
                foreach (var provider in new[] { "clever", "entra" })
                {
                    await env.Services.GetRequiredService<ISecretStore>().SetSecretAsync(
                        OpenIdConnectProviderOptions.DefaultSecretName(provider), TestOpenIdIssuer.ClientSecret, CancellationToken.None);
                }
            }

            var site = new ConsoleSite(env, serve);
            await site.AddUserAsync(Admin, ConsoleRoles.Admin);
            await site.AddUserAsync(Operator, ConsoleRoles.Operator);
            await site.AddUserAsync(Viewer, ConsoleRoles.Viewer);
            await site.AddUserAsync(Limited, ConsoleRoles.Operator, site.Second.Id);
            return site;
        }
        catch
        {
            await env.DisposeAsync();
            throw;
        }
    }

    private static void SignInThrough(Dictionary<string, string?> c, TestOpenIdIssuer issuer)
    {
        const string Providers = "CleverSyncSOS:Console:OpenIdConnect:Providers";
        c[$"{Providers}:clever:Preset"] = "Clever";
        c[$"{Providers}:clever:Authority"] = issuer.Authority;
        c[$"{Providers}:clever:ClientId"] = TestOpenIdIssuer.ClientId;
        c[$"{Providers}:clever:RoleMap:district_admin"] = "Operator";
        c[$"{Providers}:entra:Preset"] = "EntraId";
        c[$"{Providers}:entra:Authority"] = issuer.Authority;
        c[$"{Providers}:entra:ClientId"] = TestOpenIdIssuer.ClientId;
    }

    public async Task AddUserAsync(string email, string role, params string[] districts)
    {
        await using var scope = Serve.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ConsoleUserAccounts>().CreateAsync(email, Password, role, districts, CancellationToken.None);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
    }

    /// <summary>An HTTP client of the console: signed in as <paramref name="email"/>, or anonymous when null.</summary>
    public async Task<ConsoleClient> ClientAsync(string? email)
    {
        var client = new ConsoleClient(BaseAddress);
        if (email is not null)
        {
            var response = await client.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = email, ["Password"] = Password });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/", response.Headers.Location?.ToString());
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Serve.DisposeAsync();
        await Env.DisposeAsync();
    }
}

/// <summary>
/// A browser-like HTTP client: keeps its cookies itself (the console's cookies are Secure on HTTPS only, but kept the same way
/// here), follows no redirect (tests look at them), sends the headers it was given on every request (a proxy's), and posts forms with the antiforgery token of the page they are on.
/// </summary>
public sealed partial class ConsoleClient(Uri baseAddress, params (string Name, string Value)[] headers) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Cookies => _cookies;

    public List<string> SetCookieHeaders { get; } = [];

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request);
    }

    /// <summary>Reads the antiforgery token from <paramref name="formPage"/>, then posts <paramref name="fields"/> to <paramref name="path"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string path, Dictionary<string, string> fields)
    {
        using var page = await GetAsync(formPage);
        var html = await page.Content.ReadAsStringAsync();
        if (TokenPattern().Match(html) is { Success: true } token)
        {
            fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        }

        return await PostAsync(path, fields);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) });

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var value in values)
            {
                SetCookieHeaders.Add(value);
                var pair = value.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                _cookies[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return response;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
