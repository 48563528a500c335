using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CleverSyncSOS.Authentication;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Reads Clever's Data API v3.0 for one district: pages are streamed one at a time following the <c>next</c>
/// link verbatim, so memory stays flat whatever the school's size. Transient failures and 429s are retried by
/// the HttpClient's resilience handler; a 401 drops the cached token and the call is made once more.
/// </summary>
public sealed class CleverApiClient(HttpClient http, ICleverTokenProvider tokens, IOptions<CleverApiOptions> options)
{
    /// <summary>Users with <paramref name="role"/> ("student", "teacher") at one school.</summary>
    public IAsyncEnumerable<CleverUser> GetSchoolUsersAsync(DistrictCredentials district, string schoolId, string role, CancellationToken cancellationToken) =>
        ReadAllAsync(district, $"schools/{Uri.EscapeDataString(schoolId)}/users?role={role}&limit={options.Value.PageSize}",
            CleverJsonContext.Default.CleverApiResponseCleverUser, cancellationToken);

    public IAsyncEnumerable<CleverSchool> GetSchoolsAsync(DistrictCredentials district, CancellationToken cancellationToken) =>
        ReadAllAsync(district, $"schools?limit={options.Value.PageSize}", CleverJsonContext.Default.CleverApiResponseCleverSchool, cancellationToken);

    /// <summary>
    /// The id of the newest event, taken before a full read so that nothing changed during the read is missed;
    /// "" when Clever has no event yet (events off, or nothing happened since they were switched on).
    /// </summary>
    public async Task<string?> GetLatestEventIdAsync(DistrictCredentials district, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(district, Resolve("events?ending_before=last&limit=1"), cancellationToken);
        var page = await ReadPageAsync(response, CleverJsonContext.Default.CleverApiResponseCleverEvent, cancellationToken);
        return page?.Data?.LastOrDefault()?.Data?.Id ?? "";
    }

    /// <summary>
    /// User events of one school after <paramref name="startingAfter"/> ("" = from the oldest kept), oldest first.
    /// A cursor Clever no longer keeps answers 404.
    /// </summary>
    public IAsyncEnumerable<CleverEvent> GetUserEventsAsync(DistrictCredentials district, string startingAfter, string schoolId, CancellationToken cancellationToken) =>
        ReadAllAsync(district,
            $"events?record_type=users&school={Uri.EscapeDataString(schoolId)}&limit={options.Value.PageSize}"
            + (startingAfter.Length > 0 ? $"&starting_after={Uri.EscapeDataString(startingAfter)}" : ""),
            CleverJsonContext.Default.CleverApiResponseCleverEvent, cancellationToken);

    private async IAsyncEnumerable<T> ReadAllAsync<T>(DistrictCredentials district, string firstPage, JsonTypeInfo<CleverApiResponse<T>> typeInfo,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = Resolve(firstPage);
        while (next is not null)
        {
            CleverApiResponse<T>? page;
            using (var activity = Observability.CleverSyncTelemetry.ActivitySource.StartActivity("CleverPageFetch"))
            {
                activity?.SetTag("url.path", next.AbsolutePath);
                activity?.SetTag("cleversync.district", district.CleverDistrictId);
                using var response = await SendAsync(district, next, cancellationToken);
                page = await ReadPageAsync(response, typeInfo, cancellationToken);
                activity?.SetTag("cleversync.records", page?.Data?.Count ?? 0);
            }

            foreach (var item in page?.Data ?? [])
            {
                if (item.Data is not null)
                {
                    yield return item.Data;
                }
            }

            // Follow Clever's link as given; a page with no next link is the last one.
            next = page?.NextLink is { Length: > 0 } link ? new Uri(http.BaseAddress!, link) : null;
        }
    }

    private static async Task<TPage?> ReadPageAsync<TPage>(HttpResponseMessage response, JsonTypeInfo<TPage> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new CleverApiException(response.StatusCode, response.RequestMessage?.RequestUri?.PathAndQuery ?? "?",
                $"the body is not the JSON Clever documents ({ex.Message})");
        }
    }

    private Uri Resolve(string relative) => new(http.BaseAddress!, relative);

    private async Task<HttpResponseMessage> SendAsync(DistrictCredentials district, Uri uri, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(district, cancellationToken);
        var response = await SendOnceAsync(uri, token, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token was revoked or expired early: fetch a new one, once.
            response.Dispose();
            tokens.Invalidate(district.CleverDistrictId, token.AccessToken);
            token = await tokens.GetTokenAsync(district, cancellationToken);
            response = await SendOnceAsync(uri, token, cancellationToken);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var detail = await CleverErrorReader.ReadAsync(response, cancellationToken);
                throw new CleverApiException(response.StatusCode, uri.AbsolutePath, detail);
            }
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Uri uri, CleverAuthToken token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
