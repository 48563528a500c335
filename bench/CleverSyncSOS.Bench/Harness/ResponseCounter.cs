using System.Net;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// Counts the Clever client's HTTP attempts and 429 answers. Added innermost to the service's own HttpClient by
/// the rate-limit worker (bench-side decoration through IHttpClientBuilder; nothing in the service changes).
/// </summary>
public sealed class ResponseCounter
{
    private int _attempts;
    private int _tooManyRequests;

    public int Attempts => Volatile.Read(ref _attempts);
    public int TooManyRequests => Volatile.Read(ref _tooManyRequests);

    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(ResponseCounter counter) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Interlocked.Increment(ref counter._attempts);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref counter._tooManyRequests);
            }

            return response;
        }
    }
}
