namespace CleverSyncSOS.Simulator;

/// <summary>Shape of the generated roster and the behaviour knobs of a <see cref="CleverSimulator"/>.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Seed for all generated data: the same seed yields the same ids, names and credentials.</summary>
    public int Seed { get; set; } = 42;
    public int Districts { get; set; } = 1;
    public int SchoolsPerDistrict { get; set; } = 3;
    public int StudentsPerSchool { get; set; } = 300;
    public int TeachersPerSchool { get; set; } = 30;

    /// <summary>Sections per school; null gives one per teacher.</summary>
    public int? SectionsPerSchool { get; set; }

    /// <summary>Sections each student is enrolled in (at most the school's sections).</summary>
    public int SectionsPerStudent { get; set; } = 4;

    /// <summary>null = tokens never expire (real Clever); set = tokens carry "expires_in" and expire.</summary>
    public int? TokenLifetimeSeconds { get; set; }

    /// <summary>Off = no events are recorded (Clever's events are opt-in per district).</summary>
    public bool EventsEnabled { get; set; } = true;

    /// <summary>
    /// Record a users.created event for every generated user, as Clever does when a district shares its roster
    /// with the app. Off by default (the log starts empty); the demo turns it on.
    /// </summary>
    public bool InitialEvents { get; set; }

    /// <summary>Requests per bearer token per fixed window (Clever: 1200 a minute).</summary>
    public int RateLimitPerMinute { get; set; } = 1200;

    /// <summary>Length of the rate-limit window; Clever's is 60 s. Tests shorten it to exercise 429 storms quickly.</summary>
    public int RateLimitWindowSeconds { get; set; } = 60;

    /// <summary>Added to every data-API response (for benchmarks).</summary>
    public int LatencyMilliseconds { get; set; }

    /// <summary>A <c>limit</c> above this is answered with 413.</summary>
    public int MaxPageSize { get; set; } = 10000;

    // What Clever leaves unconfirmed, the simulator answers the harsh way by default; each kinder reading is one
    // option away. The README's table lists every one with its source. Kinder() turns every one the kind way.

    /// <summary>Which schools a users.updated event is listed under by the events <c>school</c> filter.</summary>
    public EventSchoolFilter EventSchoolFilter { get; set; } = EventSchoolFilter.CurrentSchoolsOnly;

    /// <summary>How <c>starting_after</c> with an event id no longer kept (or unknown) is answered.</summary>
    public ExpiredCursorAnswer ExpiredCursor { get; set; } = ExpiredCursorAnswer.FromOldestKept;

    /// <summary>How <c>ending_before=last</c> (the de-facto newest-event query) is answered.</summary>
    public EndingBeforeLastAnswer EndingBeforeLast { get; set; } = EndingBeforeLastAnswer.Rejected;

    /// <summary>Whether next/prev links keep the request's filters (role, limit, ...) or carry only the cursor.</summary>
    public bool LinksKeepFilters { get; set; }

    /// <summary>Whether the last page still carries a next link (and the first a prev link) leading to an empty page.</summary>
    public bool LinksToEmptyPages { get; set; } = true;

    /// <summary>Which X-Ratelimit-* headers responses carry.</summary>
    public RateLimitHeaderStyle RateLimitHeaders { get; set; } = RateLimitHeaderStyle.None;

    /// <summary>Whether users.deleted carries the user's last full state or only its id.</summary>
    public bool DeletedEventsCarryFullObject { get; set; }

    /// <summary>The body of the data API's errors (401, 404, 400...).</summary>
    public ErrorBodyStyle ErrorBodies { get; set; } = ErrorBodyStyle.Html;

    /// <summary>Whether a query parameter Clever does not list for an endpoint is answered with 400.</summary>
    public bool RejectUnknownQueryParameters { get; set; } = true;

    /// <summary>How a revoked or unknown bearer token is answered by the data API.</summary>
    public DeadTokenAnswer DeadToken { get; set; } = DeadTokenAnswer.Forbidden;

    /// <summary>How /events is answered for a district whose events are switched off (<see cref="EventsEnabled"/> false).</summary>
    public EventsOffAnswer EventsOff { get; set; } = EventsOffAnswer.Unauthorized;

    /// <summary>
    /// Generated users as messy as real ones: teachers without email too, "" grades and genders, no graduation_year,
    /// students and teachers in two schools, students who are also teachers. Off = tidy users (students still lack
    /// email now and then, as Clever does not guarantee it).
    /// </summary>
    public bool MessyData { get; set; } = true;

    /// <summary>
    /// One application connected to every district, as with real Clever: the districts share one client id and
    /// secret, and the tokens endpoint lists a token per district whatever <c>district</c> parameter is sent.
    /// Off = each district has its own credentials and the parameter filters the list.
    /// </summary>
    public bool OneApplication { get; set; } = true;

    /// <summary>
    /// Scopes left out of every token (a district that did not grant them); none by default. The data API then
    /// answers 403 where the scope is needed (users of that role; sections, courses and terms for read:sections).
    /// </summary>
    public IReadOnlyList<string> ScopesWithheld { get; set; } = [];

    /// <summary>Scopes left out of one district's token only, by district index (0 is the first district).</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<string>> ScopesWithheldByDistrict { get; set; } = new Dictionary<int, IReadOnlyList<string>>();

    /// <summary>Whether the token of the district at <paramref name="districtIndex"/> lacks <paramref name="scope"/>.</summary>
    internal bool Withholds(int districtIndex, string scope) =>
        ScopesWithheld.Contains(scope, StringComparer.Ordinal)
        || (ScopesWithheldByDistrict.TryGetValue(districtIndex, out var withheld) && withheld.Contains(scope, StringComparer.Ordinal));

    /// <summary>Every unconfirmed behaviour the kind way (the readings the simulator took before it was made harsh).</summary>
    public SimulatorOptions Kinder()
    {
        EventSchoolFilter = EventSchoolFilter.FormerAndCurrentSchools;
        ExpiredCursor = ExpiredCursorAnswer.NotFound;
        EndingBeforeLast = EndingBeforeLastAnswer.Supported;
        LinksKeepFilters = true;
        LinksToEmptyPages = false;
        RateLimitHeaders = RateLimitHeaderStyle.BearerBucket;
        DeletedEventsCarryFullObject = true;
        ErrorBodies = ErrorBodyStyle.Message;
        RejectUnknownQueryParameters = false;
        DeadToken = DeadTokenAnswer.Unauthorized;
        EventsOff = EventsOffAnswer.EmptyList;
        MessyData = false;
        OneApplication = false;
        return this;
    }

    internal void Validate()
    {
        if (Districts < 1) throw new ArgumentOutOfRangeException(nameof(Districts), "At least one district is required.");
        if (SchoolsPerDistrict < 1) throw new ArgumentOutOfRangeException(nameof(SchoolsPerDistrict), "At least one school per district is required.");
        if (StudentsPerSchool < 0) throw new ArgumentOutOfRangeException(nameof(StudentsPerSchool));
        if (TeachersPerSchool < 0) throw new ArgumentOutOfRangeException(nameof(TeachersPerSchool));
        if (TokenLifetimeSeconds is <= 0) throw new ArgumentOutOfRangeException(nameof(TokenLifetimeSeconds), "Use null for tokens that never expire.");
        if (RateLimitPerMinute < 1) throw new ArgumentOutOfRangeException(nameof(RateLimitPerMinute));
        if (RateLimitWindowSeconds < 1) throw new ArgumentOutOfRangeException(nameof(RateLimitWindowSeconds));
        if (LatencyMilliseconds < 0) throw new ArgumentOutOfRangeException(nameof(LatencyMilliseconds));
        if (MaxPageSize < 1) throw new ArgumentOutOfRangeException(nameof(MaxPageSize));
    }
}

public enum EventSchoolFilter
{
    /// <summary>An event is found under the user's schools after the change only: a move shows up at the new school.</summary>
    CurrentSchoolsOnly,

    /// <summary>Also under the schools the user left.</summary>
    FormerAndCurrentSchools,
}

public enum ExpiredCursorAnswer
{
    /// <summary>200 with the events from the oldest one still kept: the events in between are silently gone.</summary>
    FromOldestKept,

    /// <summary>400 with a message.</summary>
    BadRequest,

    /// <summary>404 with a message.</summary>
    NotFound,
}

public enum EndingBeforeLastAnswer
{
    /// <summary>400 (invalid ending_before).</summary>
    Rejected,

    /// <summary>The parameter is ignored: the oldest events come back, with a next link.</summary>
    Ignored,

    /// <summary>The newest events.</summary>
    Supported,
}

public enum RateLimitHeaderStyle
{
    /// <summary>No X-Ratelimit-* header at all (a 429 says nothing of when to come back).</summary>
    None,

    /// <summary>Two comma-separated buckets, the token's own second: <c>X-Ratelimit-Bucket: district, bearer</c>.</summary>
    SeveralBuckets,

    /// <summary>One bucket, <c>bearer</c>.</summary>
    BearerBucket,
}

public enum ErrorBodyStyle
{
    /// <summary>An HTML page.</summary>
    Html,

    /// <summary>No body.</summary>
    Empty,

    /// <summary>Clever's v1 shape, <c>{"error": "..."}</c>.</summary>
    V1,

    /// <summary><c>{"message": "..."}</c>.</summary>
    Message,
}

public enum DeadTokenAnswer
{
    /// <summary>403 Forbidden.</summary>
    Forbidden,

    /// <summary>200 with an HTML sign-in page.</summary>
    HtmlPage,

    /// <summary>401 Unauthorized.</summary>
    Unauthorized,
}

public enum EventsOffAnswer
{
    /// <summary>401, as if the token were bad.</summary>
    Unauthorized,

    /// <summary>403.</summary>
    Forbidden,

    /// <summary>404.</summary>
    NotFound,

    /// <summary>200 with no events, as if nothing had happened.</summary>
    EmptyList,
}
