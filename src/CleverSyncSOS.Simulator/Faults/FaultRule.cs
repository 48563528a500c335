namespace CleverSyncSOS.Simulator;

/// <summary>Which simulated service a fault applies to.</summary>
public enum FaultTarget
{
    /// <summary>GET /oauth/tokens.</summary>
    Token,

    /// <summary>The data API under /v3.0 (and /v3.1).</summary>
    Api,
}

/// <summary>
/// One injected failure. Matching requests are counted: the first <see cref="Skip"/> pass untouched, the next
/// <see cref="Count"/> are affected (0, the default, = every further one). Example, "fail the 7th page":
/// <c>new FaultRule { Target = FaultTarget.Api, PathContains = "/users", Skip = 6, Count = 1, StatusCode = 500 }</c>.
/// </summary>
public sealed class FaultRule
{
    public FaultTarget Target { get; set; } = FaultTarget.Api;

    /// <summary>Substring (case-insensitive) of the path and query a request must contain; null = any.</summary>
    public string? PathContains { get; set; }

    public int Skip { get; set; }
    public int Count { get; set; }

    /// <summary>Answer with this status instead of the real response.</summary>
    public int? StatusCode { get; set; }

    /// <summary>Wait this long before answering (or before the real response when nothing else is set): for timeouts.</summary>
    public int? DelayMilliseconds { get; set; }

    /// <summary>Abort the connection without a response.</summary>
    public bool DropConnection { get; set; }

    /// <summary>Content type of the fault response (default: JSON, text/plain for 429).</summary>
    public string? ContentType { get; set; }

    /// <summary>Body of the fault response (default: <c>{"message":"..."}</c>, token errors <c>{"error","error_description"}</c>).
    /// Set without <see cref="StatusCode"/> to return a 200 with this body (e.g. truncated JSON).</summary>
    public string? Body { get; set; }

    /// <summary>Extra response headers, e.g. X-Ratelimit-Reset on a token-endpoint 429.</summary>
    public Dictionary<string, string>? Headers { get; set; }
}
