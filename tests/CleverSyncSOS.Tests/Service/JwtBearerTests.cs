using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CleverSyncSOS.Tests.Infrastructure;

namespace CleverSyncSOS.Tests.Service;

public sealed class JwtBearerTests
{
    private const string Audience = "api://cleversync-test";

    [Fact]
    public async Task A_token_from_the_configured_issuer_is_accepted_and_one_from_another_issuer_or_with_a_bad_signature_answers_401()
    {
        await using var issuer = await TestOpenIdIssuer.StartAsync();
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        await using var serve = await ServeHarness.StartAsync(env, c =>
        {
            c["CleverSyncSOS:Api:JwtAuthority"] = issuer.Authority;
            c["CleverSyncSOS:Api:JwtAudience"] = Audience;
        });
        var path = $"api/schools/{env.District.Schools[0].Id}/history";
        var claims = new Dictionary<string, object> { ["sub"] = "automation" };

        Assert.Equal(HttpStatusCode.OK, await GetWithTokenAsync(serve, path, issuer.AccessToken(Audience, claims)));

        Assert.Equal(HttpStatusCode.Unauthorized, await GetWithTokenAsync(serve, path, issuer.AccessToken(Audience, claims, "http://127.0.0.1:1/another-issuer")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetWithTokenAsync(serve, path, issuer.AccessToken("api://someone-else", claims)));
        using var forger = RSA.Create(2048);
        issuer.ForgeWith = forger;
        Assert.Equal(HttpStatusCode.Unauthorized, await GetWithTokenAsync(serve, path, issuer.AccessToken(Audience, claims)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetWithTokenAsync(serve, path, "not.a.token"));
    }

    internal static async Task<HttpStatusCode> GetWithTokenAsync(ServeHarness serve, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await serve.Http.SendAsync(request);
        return response.StatusCode;
    }
}
