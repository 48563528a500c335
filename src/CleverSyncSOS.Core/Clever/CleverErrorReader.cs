using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Reads what an error response says, whatever its shape: <c>message</c>, <c>error</c>/<c>error_description</c>,
/// plain text, or an HTML page (Clever sends those for some errors). Always short and single-line, and never
/// holding the credentials the request carried (a server may echo them).
/// </summary>
public static partial class CleverErrorReader
{
    private const int MaxLength = 200;

    /// <param name="sent">The credentials the request carried, removed from whatever the server says.</param>
    public static async Task<string> ReadAsync(HttpResponseMessage response, IReadOnlyList<string?> sent, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return response.ReasonPhrase ?? "no body";
        }

        var said = Describe(CredentialRedactor.Redact(body, [.. sent]), response.Content.Headers.ContentType?.MediaType);
        return said ?? response.ReasonPhrase ?? "no body";
    }

    public static string? Describe(string body, string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                var error = System.Text.Json.JsonSerializer.Deserialize(trimmed, CleverJsonContext.Default.CleverErrorBody);
                var text = error?.Message ?? JoinError(error?.Error, error?.ErrorDescription);
                if (!string.IsNullOrWhiteSpace(text))
                {
                    return Shorten(text);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON after all: fall through to text.
            }
        }

        if (mediaType == "text/html" || trimmed.StartsWith('<'))
        {
            var title = HtmlTitle().Match(body);
            var text = title.Success ? title.Groups[1].Value : HtmlTags().Replace(body, " ");
            return "HTML page: " + Shorten(text);
        }

        return Shorten(body);
    }

    private static string? JoinError(string? error, string? description) =>
        (error, description) switch
        {
            (null, null) => null,
            (_, null) => error,
            (null, _) => description,
            _ => $"{error}: {description}",
        };

    private static string Shorten(string text)
    {
        var single = Whitespace().Replace(text, " ").Trim();
        return single.Length <= MaxLength ? single : single[..MaxLength] + "…";
    }

    [GeneratedRegex("<title>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlTitle();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex HtmlTags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
