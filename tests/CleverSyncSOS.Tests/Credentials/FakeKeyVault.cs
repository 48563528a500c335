using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CleverSyncSOS.Tests.Credentials;

/// <summary>
/// A Key Vault secrets endpoint on https://127.0.0.1 for driving the real Azure SDK: the bearer challenge,
/// get/set of secrets in Key Vault's JSON shapes, and switches for outages and rotation.
/// </summary>
public sealed class FakeKeyVault : IAsyncDisposable
{
    public const string AccessToken = "fake-key-vault-access-token";
    private const string Tenant = "00000000-0000-0000-0000-0000000000aa";

    private readonly ConcurrentDictionary<string, StoredSecret> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly X509Certificate2 _certificate;
    private readonly SocketsHttpHandler _clientHandler;
    private LoopbackServer? _server;
    private int _requestCount;
    private volatile bool _outage;
    private volatile int _failWithStatus;

    private FakeKeyVault(X509Certificate2 certificate)
    {
        _certificate = certificate;
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        // Trust exactly this certificate, nothing else: a test-only relaxation of normal TLS validation.
        _clientHandler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
            },
        };
    }

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>Every request that reached the server, including challenges and dropped ones.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>While true, every connection is dropped without a response (the vault is unreachable).</summary>
    public bool Outage
    {
        get => _outage;
        set => _outage = value;
    }

    /// <summary>While set, every authenticated request gets this status (e.g. 503, 429) in Key Vault's error shape.</summary>
    public HttpStatusCode? FailWithStatus
    {
        get => _failWithStatus == 0 ? null : (HttpStatusCode)_failWithStatus;
        set => _failWithStatus = value is { } status ? (int)status : 0;
    }

    public static async Task<FakeKeyVault> StartAsync()
    {
        var vault = new FakeKeyVault(CreateCertificate());
        vault._server = await LoopbackServer.StartAsync(app =>
        {
            app.Use(vault.GateAsync);
            // "{version?}" covers /secrets/{name}, /secrets/{name}/ (what the SDK sends) and /secrets/{name}/{version}.
            app.MapGet("/secrets/{name}/{version?}", (RequestDelegate)vault.GetSecretAsync);
            app.MapPut("/secrets/{name}", (RequestDelegate)vault.PutSecretAsync);
        }, listen => listen.UseHttps(vault._certificate));
        vault.VaultUri = vault._server.BaseAddress;
        return vault;
    }

    public void SetSecret(string name, string value) =>
        _secrets[name] = new StoredSecret(value, Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public string? GetSecret(string name) => _secrets.TryGetValue(name, out var secret) ? secret.Value : null;

    /// <summary>
    /// A real SDK client for this vault, signed in with a fake token (or <paramref name="credential"/>), making
    /// <paramref name="retries"/> retries of its own (the SDK then reports every attempt in one AggregateException).
    /// </summary>
    public SecretClient CreateClient(TokenCredential? credential = null, int retries = 0) =>
        new(VaultUri, credential ?? new FakeTokenCredential(), new SecretClientOptions
        {
            // The challenge names vault.azure.net, not 127.0.0.1: test-only.
            DisableChallengeResourceVerification = true,
            Transport = new HttpClientTransport(_clientHandler),
            Retry = { MaxRetries = retries, Delay = TimeSpan.FromMilliseconds(10), NetworkTimeout = TimeSpan.FromSeconds(5) },
        });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _clientHandler.Dispose();
        _certificate.Dispose();
    }

    private async Task GateAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref _requestCount);
        if (_outage)
        {
            context.Abort();
            return;
        }

        if (context.Request.Headers.Authorization != $"Bearer {AccessToken}")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate =
                $"Bearer authorization=\"https://login.microsoftonline.com/{Tenant}\", resource=\"https://vault.azure.net\"";
            return;
        }

        if (FailWithStatus is { } status)
        {
            await WriteErrorAsync(context, (int)status, status.ToString(), "The fake vault is set to fail.");
            return;
        }

        await next(context);
    }

    private async Task GetSecretAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        if (!_secrets.TryGetValue(name, out var secret))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "SecretNotFound",
                $"A secret with (name/id) {name} was not found in this key vault.");
            return;
        }

        await WriteSecretAsync(context, name, secret);
    }

    private async Task PutSecretAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        if (body?["value"]?.GetValue<string>() is not { } value)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "BadParameter", "The request has no 'value'.");
            return;
        }

        SetSecret(name, value);
        await WriteSecretAsync(context, name, _secrets[name]);
    }

    private Task WriteSecretAsync(HttpContext context, string name, StoredSecret secret) =>
        WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["value"] = secret.Value,
            ["id"] = new Uri(VaultUri, $"secrets/{name}/{secret.Version}").AbsoluteUri,
            ["attributes"] = new JsonObject
            {
                ["enabled"] = true,
                ["created"] = secret.UpdatedUnixSeconds,
                ["updated"] = secret.UpdatedUnixSeconds,
                ["recoveryLevel"] = "Recoverable+Purgeable",
                ["recoverableDays"] = 90,
            },
        });

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJsonAsync(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server authentication
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Round-trip through PFX so Kestrel gets a certificate whose private key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }

    private sealed record StoredSecret(string Value, string Version, long UpdatedUnixSeconds);

    /// <summary>Hands out the token the fake accepts; the real credential chain would go to Entra ID.</summary>
    private sealed class FakeTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(FakeKeyVault.AccessToken, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
