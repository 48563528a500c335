using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CleverSyncSOS.Tests.Service;

public sealed class JwtBearerTests
{
    private const string Audience = "api://cleversync-test";

    [Fact]
    public async Task A_token_from_the_configured_issuer_is_accepted_and_one_from_another_issuer_or_with_a_bad_signature_answers_401()
    {
        using var signing = RSA.Create(2048);
        await using var issuer = await OpenIdIssuer.StartAsync(signing);
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        await using var serve = await ServeHarness.StartAsync(env, c =>
        {
            c["CleverSyncSOS:Api:JwtAuthority"] = issuer.Authority;
            c["CleverSyncSOS:Api:JwtAudience"] = Audience;
        });
        var path = $"api/schools/{env.District.Schools[0].Id}/history";

        Assert.Equal(HttpStatusCode.OK, await GetWithTokenAsync(serve, path, Token(signing, issuer.Authority, Audience)));

        Assert.Equal(HttpStatusCode.Unauthorized, await GetWithTokenAsync(serve, path, Token(signing, "http://127.0.0.1:1/another-issuer", Audience)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetWithTokenAsync(serve, path, Token(signing, issuer.Authority, "api://someone-else")));
        using var forger = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetWithTokenAsync(serve, path, Token(forger, issuer.Authority, Audience)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetWithTokenAsync(serve, path, "not.a.token"));
    }

    private static async Task<HttpStatusCode> GetWithTokenAsync(ServeHarness serve, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await serve.Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A token signed with <paramref name="key"/> under the issuer's key id, so a forged one differs only in its signature.</summary>
    private static string Token(RSA key, string issuer, string audience) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = audience,
        Claims = new Dictionary<string, object> { ["sub"] = "automation" },
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = OpenIdIssuer.KeyId }, SecurityAlgorithms.RsaSha256),
    });

    /// <summary>An OpenID Connect issuer on 127.0.0.1 that serves only its discovery document and its public key.</summary>
    private sealed class OpenIdIssuer : IAsyncDisposable
    {
        public const string KeyId = "test-key";

        private readonly LoopbackServer _server;

        private OpenIdIssuer(LoopbackServer server) => _server = server;

        public string Authority => _server.BaseAddress.ToString().TrimEnd('/');

        public static async Task<OpenIdIssuer> StartAsync(RSA key)
        {
            var publicKey = key.ExportParameters(includePrivateParameters: false);
            var server = await LoopbackServer.StartAsync(app =>
            {
                // The issuer is this server's own address, as the request reached it.
                app.MapGet("/.well-known/openid-configuration", (HttpRequest request) => Results.Json(new Dictionary<string, object>
                {
                    ["issuer"] = $"{request.Scheme}://{request.Host}",
                    ["jwks_uri"] = $"{request.Scheme}://{request.Host}/jwks",
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                }));
                app.MapGet("/jwks", () => Results.Json(new
                {
                    keys = new[]
                    {
                        new Dictionary<string, string>
                        {
                            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId,
                            ["n"] = Base64UrlEncoder.Encode(publicKey.Modulus), ["e"] = Base64UrlEncoder.Encode(publicKey.Exponent),
                        },
                    },
                }));
            });
            return new OpenIdIssuer(server);
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
