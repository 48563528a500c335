using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CleverSyncSOS.Tests.Infrastructure;

/// <summary>
/// A small OpenID Connect issuer on 127.0.0.1 for the tests: discovery, JWKS, an authorize endpoint that signs in whoever
/// the test names (no login form) and a token endpoint that checks the client secret (post or basic), the code (once) and
/// PKCE. It can be told to sign with another key or to name another issuer, as a forger or a confused provider would.
/// </summary>
public sealed class TestOpenIdIssuer : IAsyncDisposable
{
    public const string KeyId = "test-key";
    public const string ClientId = "cleversync-console";
    public const string ClientSecret = "issuer-client-secret-0123456789";

    private LoopbackServer? _server;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);

    private void Map(WebApplication app)
    {
        var publicKey = _key.ExportParameters(includePrivateParameters: false);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = $"{Authority}/authorize",
            ["token_endpoint"] = $"{Authority}/token",
            ["jwks_uri"] = $"{Authority}/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
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
        app.MapGet("/authorize", Authorize);
        app.MapPost("/token", TokenAsync);
    }

    public string Authority => _server!.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The claims of whoever signs in next (besides iss, aud, nonce, iat, exp).</summary>
    public Dictionary<string, object> NextUser { get; set; } = new() { ["sub"] = "someone" };

    /// <summary>Sign identity tokens with this key instead of the published one (a forgery).</summary>
    public RSA? ForgeWith { get; set; }

    /// <summary>Name this issuer in identity tokens instead of the real one.</summary>
    public string? IssuerInTokens { get; set; }

    /// <summary>How the last token request authenticated the client: "basic" or "post".</summary>
    public string? LastClientAuthentication { get; private set; }

    public static async Task<TestOpenIdIssuer> StartAsync()
    {
        var issuer = new TestOpenIdIssuer();
        issuer._server = await LoopbackServer.StartAsync(issuer.Map);
        return issuer;
    }

    /// <summary>A JWT bearer token of this issuer (for the API), signed with <see cref="ForgeWith"/> when set.</summary>
    public string AccessToken(string audience, IDictionary<string, object> claims, string? issuer = null) =>
        Sign(issuer ?? Authority, audience, claims);

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["redirect_uri"]))
        {
            return Results.BadRequest("invalid_request");
        }

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(q["redirect_uri"]!, q["nonce"].ToString(), q["code_challenge"]!, new Dictionary<string, object>(NextUser));
        return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        string? clientId = form["client_id"], secret = form["client_secret"];
        LastClientAuthentication = "post";
        if (request.Headers.Authorization.ToString() is { Length: > 6 } header && header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            (clientId, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
            LastClientAuthentication = "basic";
        }

        if (clientId != ClientId || secret != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"]
            || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.CodeChallenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var claims = new Dictionary<string, object>(grant.Claims) { ["nonce"] = grant.Nonce };
        return Results.Json(new { access_token = "opaque", token_type = "Bearer", expires_in = 300, id_token = Sign(IssuerInTokens ?? Authority, ClientId, claims) });
    }

    private string Sign(string issuer, string audience, IDictionary<string, object> claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = audience,
        Claims = claims,
        IssuedAt = DateTime.UtcNow,
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(ForgeWith ?? _key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
    });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _key.Dispose();
    }

    private sealed record Grant(string RedirectUri, string Nonce, string CodeChallenge, Dictionary<string, object> Claims);
}
