using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Host.Service.Api;

/// <summary>
/// <c>X-Api-Key</c> authentication: the presented key is compared, in constant time, with each key held in the secret
/// store under <see cref="ApiOptions.KeySecretNames"/>. The caller is known by the secret's name, never by the key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ISecretStore secrets,
    IOptions<ApiOptions> apiOptions) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        var presented = Hash(values[0]!);
        foreach (var name in apiOptions.Value.EffectiveKeySecretNames)
        {
            var key = await secrets.GetSecretAsync(name, Context.RequestAborted);
            // Hashing first gives equal lengths, so the comparison takes the same time whatever the key.
            if (!string.IsNullOrEmpty(key) && CryptographicOperations.FixedTimeEquals(presented, Hash(key)))
            {
                // A key limited to districts carries them as the same claims a limited console user has (DistrictScope).
                var districts = apiOptions.Value.KeyDistricts.GetValueOrDefault(name) ?? [];
                var identity = new ClaimsIdentity(
                    [new Claim(ClaimTypes.Name, $"api-key:{name}"), .. districts.Select(d => new Claim(ConsoleRoles.DistrictClaim, d))], SchemeName);
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
            }
        }

        return AuthenticateResult.Fail("Invalid API key.");
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
