using System.Net.Sockets;
using Azure;
using Azure.Identity;

namespace CleverSyncSOS.Credentials.KeyVault;

/// <summary>
/// Tells "Key Vault is unreachable" (worth falling back to a cached value and retrying) apart from errors the
/// caller must see, and describes the failure in a short text that never carries a secret value.
/// </summary>
internal static class KeyVaultFailure
{
    private const int MaxReasonLength = 200;

    /// <summary>A short reason when <paramref name="exception"/> means Key Vault is unreachable; otherwise null.</summary>
    public static string? DescribeUnavailability(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        // Status 0: no response at all (refused, reset, DNS, TLS), wrapped by the SDK's pipeline.
        RequestFailedException { Status: 0 } failed => $"network error: {Innermost(failed)}",
        // 401/403 after the SDK's own challenge handling: the identity cannot use the vault (yet, or any more).
        RequestFailedException { Status: 401 or 403 or 408 or 429 or >= 500 } failed =>
            $"HTTP {failed.Status}{(string.IsNullOrEmpty(failed.ErrorCode) ? "" : $" {failed.ErrorCode}")}",
        // CredentialUnavailableException derives from this one.
        AuthenticationFailedException failed => $"the credential could not get a token: {FirstLine(failed.Message)}",
        // The SDK's network timeout surfaces as a cancellation the caller did not ask for.
        OperationCanceledException when !cancellationToken.IsCancellationRequested => "the request timed out",
        HttpRequestException or IOException or SocketException => $"network error: {Innermost(exception)}",
        // The SDK's retry policy gives up with an AggregateException of every attempt's failure: unreachable when
        // each attempt was, described by the last one.
        AggregateException aggregate => DescribeAttempts(aggregate.Flatten().InnerExceptions, cancellationToken),
        _ => null,
    };

    private static string? DescribeAttempts(IReadOnlyList<Exception> attempts, CancellationToken cancellationToken)
    {
        if (attempts.Count == 0)
        {
            return null;
        }

        var reasons = attempts.Select(a => DescribeUnavailability(a, cancellationToken)).ToList();
        return reasons.Any(r => r is null) ? null
            : reasons.Count == 1 ? reasons[0]
            : $"{reasons.Count} attempts failed, the last with {reasons[^1]}";
    }

    private static string Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return FirstLine(exception.Message);
    }

    private static string FirstLine(string message)
    {
        var line = message.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end];
        }

        return line.Length <= MaxReasonLength ? line.ToString() : string.Concat(line[..MaxReasonLength], "…");
    }
}
