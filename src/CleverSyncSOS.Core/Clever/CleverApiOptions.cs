using System.ComponentModel.DataAnnotations;

namespace CleverSyncSOS.Clever;

/// <summary>Where Clever's Data API is and how it is read. Bound from <c>CleverSyncSOS:CleverApi</c>.</summary>
public sealed class CleverApiOptions
{
    public const string SectionName = "CleverSyncSOS:CleverApi";

    /// <summary>Base of the Data API, ending in the version: any Clever-compatible server works.</summary>
    [Required]
    public string BaseUrl { get; set; } = "https://api.clever.com/v3.0/";

    /// <summary>Records per page; Clever allows up to 10 000.</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 10_000;

    /// <summary>Timeout of one attempt of one request, body included.</summary>
    [Range(1, 600)]
    public int RequestTimeoutSeconds { get; set; } = 100;

    /// <summary>
    /// When X-Ratelimit-Remaining falls below this share of the limit, requests are spread over what is
    /// left of the window instead of running into 429s.
    /// </summary>
    [Range(0d, 1d)] // double bounds: with int bounds NaN throws instead of failing validation
    public double RateLimitSlowDownShare { get; set; } = 0.05;

    /// <summary>
    /// Length of Clever's rate-limit window (a minute). A 429 without X-Ratelimit-Reset is waited out for at least
    /// this long, in steps, before the request fails.
    /// </summary>
    [Range(1, 3_600)]
    public int RateLimitWindowSeconds { get; set; } = 60;
}
