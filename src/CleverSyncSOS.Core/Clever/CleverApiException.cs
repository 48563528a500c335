using System.Net;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Clever's Data API answered with an error, answered something that is not a Clever page, or did not answer in
/// time. The message names the request path and what went wrong; any server text in it has had the client's own
/// credentials removed (<see cref="CredentialRedactor"/>).
/// </summary>
public sealed class CleverApiException : Exception
{
    public CleverApiException(HttpStatusCode statusCode, string path, string detail)
        : base($"Clever answered {path} with HTTP {(int)statusCode}: {detail}")
    {
        StatusCode = statusCode;
        Path = path;
    }

    private CleverApiException(string path, string message, Exception? inner)
        : base(message, inner)
    {
        Path = path;
    }

    /// <summary>The status Clever answered with; null when no complete answer came (timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    public string Path { get; }

    /// <summary>No complete answer (headers and body) within the per-request timeout, after every retry.</summary>
    public static CleverApiException NoAnswer(string path, int timeoutSeconds, Exception inner) =>
        new(path, $"Clever did not answer {path} completely within {timeoutSeconds} s, after every retry.", inner);
}
