using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CleverSyncSOS.Clever;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Authentication;

/// <summary>
/// One request for a district-app token the way Clever issues them: <c>GET {TokenEndpoint}?owner_type=district&amp;district=ID</c>
/// with Basic authentication, then the token whose owner is the district. No retries here; the provider owns those.
/// </summary>
public sealed class CleverTokenClient(IHttpClientFactory httpClientFactory, IOptions<CleverAuthConfiguration> options, TimeProvider time)
{
    public const string HttpClientName = "CleverAuth";

    public async Task<CleverAuthToken> RequestTokenAsync(string cleverDistrictId, string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        var configuration = options.Value;
        var uri = $"{configuration.TokenEndpoint}?owner_type=district&district={Uri.EscapeDataString(cleverDistrictId)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var basic = CredentialRedactor.Basic(clientId, clientSecret);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);

        HttpResponseMessage response;
        try
        {
            // The whole answer, body included, is read within the client's timeout: a body sent a byte at a time
            // must not hold a sync forever.
            response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CleverAuthenticationException(cleverDistrictId,
                $"Could not reach Clever's token endpoint for district {cleverDistrictId}: {ex.Message}", isTransient: true, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CleverAuthenticationException(cleverDistrictId,
                $"Clever's token endpoint did not answer in time for district {cleverDistrictId}.", isTransient: true, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ToExceptionAsync(cleverDistrictId, response, [clientId, clientSecret, basic], time, cancellationToken);
            }

            CleverTokenListResponse? list;
            try
            {
                list = await response.Content.ReadFromJsonAsync(CleverJsonContext.Default.CleverTokenListResponse, cancellationToken);
            }
            catch (System.Text.Json.JsonException)
            {
                throw new CleverAuthenticationException(cleverDistrictId,
                    $"Clever's token endpoint answered district {cleverDistrictId} with a body that is not a token list.", isTransient: false);
            }

            var token = list?.Data?.FirstOrDefault(t => t.Owner?.Id == cleverDistrictId && !string.IsNullOrEmpty(t.AccessToken))
                ?? throw new CleverAuthenticationException(cleverDistrictId,
                    $"Clever issued no token for district {cleverDistrictId}: the application is not connected to that district, or the district id is wrong.",
                    isTransient: false);

            var scopes = token.Scopes ?? [];
            var missing = configuration.RequiredScopes.Except(scopes, StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                throw new CleverAuthenticationException(cleverDistrictId,
                    $"The token of district {cleverDistrictId} lacks the scope(s) {string.Join(", ", missing)}; ask the district to grant them.",
                    isTransient: false);
            }

            var now = time.GetUtcNow().UtcDateTime;
            return new CleverAuthToken(
                token.AccessToken!,
                token.ExpiresIn is > 0 and var seconds ? now.AddSeconds(seconds) : null,
                string.Join(' ', scopes),
                string.IsNullOrEmpty(token.TokenType) ? "Bearer" : token.TokenType,
                now);
        }
    }

    private static async Task<CleverAuthenticationException> ToExceptionAsync(string districtId, HttpResponseMessage response, IReadOnlyList<string?> sent,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var detail = await CleverErrorReader.ReadAsync(response, sent, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden => new CleverAuthenticationException(districtId,
                $"Clever rejected the credentials of district {districtId} (HTTP {status}: {detail}). Check or rotate the district's client id and secret in the secret store.",
                isTransient: false),
            HttpStatusCode.TooManyRequests => new CleverAuthenticationException(districtId,
                $"Clever's token endpoint rate-limited district {districtId} (HTTP 429: {detail}).", isTransient: true)
            {
                RetryAfter = CleverRateLimitHandler.ReadReset(response) is { } reset ? reset - time.GetUtcNow() : null,
            },
            HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError => new CleverAuthenticationException(districtId,
                $"Clever's token endpoint failed for district {districtId} (HTTP {status}: {detail}).", isTransient: true),
            _ => new CleverAuthenticationException(districtId,
                $"Clever's token endpoint answered district {districtId} with HTTP {status}: {detail}.", isTransient: false),
        };
    }
}
