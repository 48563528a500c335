using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Web;
using CleverSyncSOS.Authentication;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Reads Clever's Data API v3.0 for one district: pages are read one at a time following the <c>next</c> link,
/// so memory stays flat whatever the school's size. Transient failures and 429s are retried by the HttpClient's
/// resilience handler, each attempt bounded as a whole, body included. A token Clever refuses (401, 403, or an
/// HTML page where JSON was due) is dropped and the call is made once more with a new one.
/// What a server says is never trusted: a <c>next</c> link to another host, a link that does not advance, or a
/// page without a <c>data</c> array fails the read (and so deletes nothing) instead of leaking the token, looping
/// or reading as an empty roster.
/// </summary>
public sealed class CleverApiClient(HttpClient http, ICleverTokenProvider tokens, IOptions<CleverApiOptions> options)
{
    private const string EventsPath = "events";

    private static readonly JsonPageParser<CleverSection> Sections = new(CleverClassJsonContext.Default.CleverApiResponseCleverSection);
    private static readonly JsonPageParser<CleverCourse> Courses = new(CleverClassJsonContext.Default.CleverApiResponseCleverCourse);
    private static readonly JsonPageParser<CleverTerm> Terms = new(CleverClassJsonContext.Default.CleverApiResponseCleverTerm);
    private static readonly JsonPageParser<CleverSchool> Schools = new(CleverJsonContext.Default.CleverApiResponseCleverSchool);
    private static readonly JsonPageParser<CleverEvent> Events = new(CleverJsonContext.Default.CleverApiResponseCleverEvent);

    /// <summary>Users with <paramref name="role"/> ("student", "teacher") at one school.</summary>
    public IAsyncEnumerable<CleverUser> GetSchoolUsersAsync(DistrictCredentials district, string schoolId, string role, CancellationToken cancellationToken) =>
        ReadAllAsync(district, $"schools/{Uri.EscapeDataString(schoolId)}/users?role={role}&limit={options.Value.PageSize}",
            CleverUserPageParser.Instance, cancellationToken, readAhead: true);

    /// <summary>A school's sections, each with its students[] and teachers[] (Clever's enrollments).</summary>
    public IAsyncEnumerable<CleverSection> GetSchoolSectionsAsync(DistrictCredentials district, string schoolId, CancellationToken cancellationToken) =>
        ReadAllAsync(district, $"schools/{Uri.EscapeDataString(schoolId)}/sections?limit={options.Value.PageSize}",
            Sections, cancellationToken, readAhead: true);

    /// <summary>The courses of a school's sections.</summary>
    public IAsyncEnumerable<CleverCourse> GetSchoolCoursesAsync(DistrictCredentials district, string schoolId, CancellationToken cancellationToken) =>
        ReadAllAsync(district, $"schools/{Uri.EscapeDataString(schoolId)}/courses?limit={options.Value.PageSize}",
            Courses, cancellationToken, readAhead: true);

    /// <summary>The terms of a school's sections.</summary>
    public IAsyncEnumerable<CleverTerm> GetSchoolTermsAsync(DistrictCredentials district, string schoolId, CancellationToken cancellationToken) =>
        ReadAllAsync(district, $"schools/{Uri.EscapeDataString(schoolId)}/terms?limit={options.Value.PageSize}",
            Terms, cancellationToken, readAhead: true);

    public IAsyncEnumerable<CleverSchool> GetSchoolsAsync(DistrictCredentials district, CancellationToken cancellationToken) =>
        ReadAllAsync(district, $"schools?limit={options.Value.PageSize}", Schools, cancellationToken);

    /// <summary>
    /// The id of the newest event, taken before a full read so that nothing changed during the read is missed;
    /// "" when Clever has no event yet (nothing happened since they were switched on). Events switched off
    /// answer 401, 403 or 404: that is thrown as a <see cref="CleverApiException"/> with the status.
    /// </summary>
    public async Task<string> GetLatestEventIdAsync(DistrictCredentials district, CancellationToken cancellationToken)
    {
        // ending_before=last is Clever's de-facto way to the newest event, not a documented one. Whatever it answers
        // is checked by reading on from there: a server that honours it answers that with nothing more; one that
        // ignores it (answering the oldest events) or refuses it (400) is read to the end, and the last id wins.
        var last = "";
        try
        {
            var newest = await GetPageAsync(district, Resolve($"{EventsPath}?ending_before=last&limit=1"), Events, cancellationToken);
            last = newest.Page.Records!.LastOrDefault()?.Id ?? "";
        }
        catch (CleverApiException ex) when (ex.StatusCode == HttpStatusCode.BadRequest)
        {
            // Refused: read from the oldest kept event instead.
        }

        var after = last.Length > 0 ? $"&starting_after={Uri.EscapeDataString(last)}" : "";
        await foreach (var change in ReadAllAsync(district, $"{EventsPath}?limit={options.Value.PageSize}{after}", Events, cancellationToken))
        {
            last = change.Id is { Length: > 0 } id ? id : last;
        }

        return last;
    }

    /// <summary>
    /// The district's events after <paramref name="startingAfter"/> ("" = from the oldest kept), oldest first, every
    /// record type, without a <c>school</c> filter: the district token already limits them to its district, and Clever's
    /// <c>school</c> filter follows a user's new school only, so a move out of a school would be missed through it.
    /// Every type is read so that any cursor stored earlier (the newest event of any type, taken before a full read)
    /// is found in the stream again.
    /// A cursor Clever no longer keeps is a <see cref="CleverApiException"/> with 404, however the server answers
    /// the list (a 404, a 400, or a 200 from its oldest kept event, which would silently skip events): the cursor
    /// event itself is looked up first.
    /// </summary>
    public async IAsyncEnumerable<CleverEvent> GetEventsAsync(DistrictCredentials district, string startingAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (startingAfter.Length > 0)
        {
            await EnsureEventKeptAsync(district, startingAfter, cancellationToken);
        }

        var first = $"{EventsPath}?limit={options.Value.PageSize}"
            + (startingAfter.Length > 0 ? $"&starting_after={Uri.EscapeDataString(startingAfter)}" : "");
        var pages = ReadAllAsync(district, first, Events, cancellationToken);
        await using var changes = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await changes.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (CleverApiException ex) when (ex.StatusCode == HttpStatusCode.BadRequest && startingAfter.Length > 0)
            {
                throw CursorExpired(startingAfter, ex.Message);
            }

            yield return changes.Current;
        }
    }

    private async Task EnsureEventKeptAsync(DistrictCredentials district, string eventId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(district, Resolve($"{EventsPath}/{Uri.EscapeDataString(eventId)}"), cancellationToken);
        }
        catch (CleverApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            throw CursorExpired(eventId, ex.Message);
        }
    }

    private static CleverApiException CursorExpired(string eventId, string detail) =>
        new(HttpStatusCode.NotFound, EventsPath, $"the event cursor {eventId} is no longer kept by Clever ({detail})");

    /// <summary>
    /// Every record of a paged list. With <paramref name="readAhead"/> (roster lists, read to the end) the next page is
    /// requested as soon as this one is parsed, while its records are still being handed out: Clever prepares page n+1
    /// while the caller validates and writes page n. One request is in flight at a time either way.
    /// </summary>
    private async IAsyncEnumerable<T> ReadAllAsync<T>(DistrictCredentials district, string firstPage, ICleverPageParser<T> parser,
        [EnumeratorCancellation] CancellationToken cancellationToken, bool readAhead = false)
        where T : class, ICleverRecord, new()
    {
        var requested = new HashSet<string>(StringComparer.Ordinal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = Request(Resolve(firstPage));
        try
        {
            while (pending is not null)
            {
                var (page, uri) = await pending;
                pending = null;

                // An empty page is the end, whatever links it carries; a page with no next link is the last one.
                var next = page.Records!.Count > 0 && page.NextLink is { Length: > 0 } link ? KeepFilters(Follow(uri, link), firstPage) : null;
                if (readAhead && next is not null)
                {
                    pending = Request(next);
                }

                foreach (var record in page.Records!)
                {
                    yield return record;
                }

                if (!readAhead && next is not null)
                {
                    pending = Request(next);
                }
            }
        }
        finally
        {
            if (pending is not null)
            {
                // The caller stopped early: the page asked for in advance is not wanted, and its failure is nobody's.
                await stop.CancelAsync();
                await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        Task<(CleverPage<T> Page, Uri Uri)> Request(Uri next) => requested.Add(next.PathAndQuery)
            ? GetPageAsync(district, next, parser, stop.Token)
            : throw new CleverApiException(HttpStatusCode.OK, next.AbsolutePath,
                "its next link leads back to a page already read, so the read would never end; stopped");
    }

    /// <summary>
    /// Whether Clever's next links keep <c>role</c>, <c>limit</c> and the other filters is not documented: a filter of
    /// the first request that the link lacks is put back, so a link carrying only <c>starting_after</c> cannot turn
    /// a read of students into a read of every user.
    /// </summary>
    private static Uri KeepFilters(Uri next, string firstPage)
    {
        var asked = HttpUtility.ParseQueryString(firstPage.Contains('?', StringComparison.Ordinal) ? firstPage[firstPage.IndexOf('?', StringComparison.Ordinal)..] : "");
        var linked = HttpUtility.ParseQueryString(next.Query);
        var missing = asked.AllKeys.Where(k => k is not null and not ("starting_after" or "ending_before") && linked[k] is null).ToList();
        if (missing.Count == 0)
        {
            return next;
        }

        var query = next.Query.TrimStart('?');
        foreach (var key in missing)
        {
            foreach (var value in asked.GetValues(key) ?? [])
            {
                query += (query.Length > 0 ? "&" : "") + Uri.EscapeDataString(key!) + "=" + Uri.EscapeDataString(value);
            }
        }

        return new UriBuilder(next) { Query = query }.Uri;
    }

    /// <summary>Only links on the configured Clever origin are followed: the request carries the district's token.</summary>
    private Uri Follow(Uri current, string link)
    {
        var origin = http.BaseAddress!;
        if (!Uri.TryCreate(origin, link, out var target)
            || Uri.Compare(target, origin, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            var where = target is { IsAbsoluteUri: true } ? target.GetLeftPart(UriPartial.Authority) : "an unreadable address";
            throw new CleverApiException(HttpStatusCode.OK, current.AbsolutePath,
                $"its next link leads to {where}, not to the configured Clever server {origin.GetLeftPart(UriPartial.Authority)}; the read stops rather than send the district's token there");
        }

        return target;
    }

    private async Task<(CleverPage<T> Page, Uri Uri)> GetPageAsync<T>(DistrictCredentials district, Uri uri, ICleverPageParser<T> parser,
        CancellationToken cancellationToken)
        where T : class, ICleverRecord
    {
        using var activity = Observability.CleverSyncTelemetry.ActivitySource.StartActivity("CleverPageFetch");
        activity?.SetTag("url.path", uri.AbsolutePath);
        activity?.SetTag("cleversync.district", district.CleverDistrictId);
        using var response = await SendAsync(district, uri, cancellationToken);
        CleverPage<T> page;
        try
        {
            // Parsed in place in the buffer the body was read into; a client built without that handler reads it here.
            page = response.Content is CleverResponseBody body
                ? parser.Parse(body.Span)
                : parser.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        }
        catch (JsonException ex)
        {
            throw new CleverApiException(response.StatusCode, uri.AbsolutePath, $"the body is not the JSON Clever documents ({ex.Message})");
        }

        // {} or {"data": null} is not an empty roster: read as one, it would delete a whole school.
        if (page.Records is null)
        {
            throw new CleverApiException(response.StatusCode, uri.AbsolutePath, "the body has no data array, so it is not a Clever page");
        }

        activity?.SetTag("cleversync.records", page.Records.Count);
        return (page, uri);
    }

    private Uri Resolve(string relative) => new(http.BaseAddress!, relative);

    private async Task<HttpResponseMessage> SendAsync(DistrictCredentials district, Uri uri, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(district, cancellationToken);
        var sent = new List<string?> { token.AccessToken };
        var response = await SendOnceAsync(uri, token, cancellationToken);
        if (RefusesToken(response) && !await IsEventsSwitchedOffAsync(district, uri, response, token, cancellationToken))
        {
            // The token was revoked or expired early: fetch a new one, once.
            response.Dispose();
            tokens.Invalidate(district.CleverDistrictId, token.AccessToken);
            token = await tokens.GetTokenAsync(district, cancellationToken);
            sent.Add(token.AccessToken);
            response = await SendOnceAsync(uri, token, cancellationToken);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var detail = await CleverErrorReader.ReadAsync(response, sent, cancellationToken);
                throw new CleverApiException(response.StatusCode, uri.AbsolutePath, detail);
            }
        }

        return response;
    }

    /// <summary>
    /// Clever answers a dead token with 401; a compatible server (or Clever for some token kinds) may answer 403 or
    /// an HTML page instead. A 404 HTML page is an unknown path, not a token problem.
    /// </summary>
    private static bool RefusesToken(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (IsHtml(response) && (int)response.StatusCode < 400);

    private static bool IsHtml(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is "text/html" or "application/xhtml+xml";

    /// <summary>
    /// Events switched off for a district answer 401 or 403 as well. Only a token the rest of the API also refuses is
    /// dead; otherwise the refusal is about events, and getting a new token would not change it.
    /// </summary>
    private async Task<bool> IsEventsSwitchedOffAsync(DistrictCredentials district, Uri uri, HttpResponseMessage refusal, CleverAuthToken token, CancellationToken cancellationToken)
    {
        var relative = http.BaseAddress!.MakeRelativeUri(uri).ToString();
        if (refusal.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            || !(relative == EventsPath || relative.StartsWith(EventsPath + "?", StringComparison.Ordinal) || relative.StartsWith(EventsPath + "/", StringComparison.Ordinal)))
        {
            return false;
        }

        using var probe = await SendOnceAsync(Resolve("districts?limit=1"), token, cancellationToken);
        return probe.IsSuccessStatusCode && !IsHtml(probe);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Uri uri, CleverAuthToken token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw CleverApiException.NoAnswer(uri.AbsolutePath, options.Value.RequestTimeoutSeconds, ex);
        }
    }
}
