using System.Text;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Removes the client's own credentials from text a server sent (error bodies may echo the request), before
/// that text is logged, thrown or stored: the bearer token, the client id and secret, and their Basic form.
/// </summary>
public static class CredentialRedactor
{
    public const string Mark = "[redacted]";

    public static string Redact(string text, params ReadOnlySpan<string?> secrets)
    {
        foreach (var secret in secrets)
        {
            // Very short values (a one-character id) would blank out ordinary text; real ones are long.
            if (secret is not { Length: >= 4 })
            {
                continue;
            }

            text = text.Replace(secret, Mark, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret)
            {
                text = text.Replace(escaped, Mark, StringComparison.OrdinalIgnoreCase);
            }
        }

        return text;
    }

    /// <summary>The value of a Basic authorization header for these credentials, itself a secret.</summary>
    public static string Basic(string clientId, string clientSecret) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}"));
}
