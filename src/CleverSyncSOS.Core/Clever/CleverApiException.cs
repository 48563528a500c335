using System.Net;

namespace CleverSyncSOS.Clever;

/// <summary>Clever's Data API answered with an error. The message names the request path and what Clever said.</summary>
public sealed class CleverApiException(HttpStatusCode statusCode, string path, string detail)
    : Exception($"Clever answered {path} with HTTP {(int)statusCode}: {detail}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;
    public string Path { get; } = path;
}
