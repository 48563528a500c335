namespace CleverSyncSOS.Clever;

/// <summary>
/// Reads each response body completely inside its attempt, so the per-attempt timeout bounds the whole request,
/// body included (a body sent a byte at a time is timed out and retried like a server that does not answer), and
/// a connection dropped mid-body is retried like any transient failure. One page is held in memory at a time.
/// </summary>
public sealed class CleverResponseBuffering : DelegatingHandler
{
    /// <summary>Far above a 10,000-record page (about 15 MB); a body larger than this is not a Clever page.</summary>
    public const long MaxBodyBytes = 256L * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxBodyBytes, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
