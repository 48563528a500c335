using System.Buffers;
using System.Net;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Reads each response body completely inside its attempt, so the per-attempt timeout bounds the whole request,
/// body included (a body sent a byte at a time is timed out and retried like a server that does not answer), and
/// a connection dropped mid-body is retried like any transient failure. The body goes into one pooled buffer
/// (<see cref="CleverResponseBody"/>), which the client parses in place: a page of 10 000 users is about 8 MB, and
/// growing a fresh buffer for each one cost more garbage collection than the parse. One page is held at a time.
/// </summary>
public sealed class CleverResponseBuffering : DelegatingHandler
{
    /// <summary>Far above a 10,000-record page (about 8 MB); a body larger than this is not a Clever page.</summary>
    public const long MaxBodyBytes = 256L * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            var received = response.Content;
            response.Content = await CleverResponseBody.ReadAsync(received, MaxBodyBytes, cancellationToken);
            received.Dispose();
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}

/// <summary>A response body read whole into a buffer rented from the shared pool, given back when the response is disposed.</summary>
public sealed class CleverResponseBody : HttpContent
{
    private const int FirstBufferBytes = 64 * 1024;
    private byte[]? _buffer;
    private readonly int _length;

    private CleverResponseBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The body's bytes; valid until the response is disposed.</summary>
    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(CleverResponseBody))).AsSpan(0, _length);

    /// <summary>
    /// Reads <paramref name="content"/> to its end. A body over <paramref name="maxBytes"/> (declared or sent) and a
    /// connection broken mid-body are <see cref="HttpRequestException"/>s, as with <c>LoadIntoBufferAsync</c>, so the
    /// resilience pipeline treats them alike.
    /// </summary>
    public static async Task<CleverResponseBody> ReadAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(declared + 1 ?? FirstBufferBytes, 1));
        var length = 0;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        throw TooLarge(maxBytes);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (length > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The connection broke while the response body was read.", ex);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        var body = new CleverResponseBody(buffer, length);
        foreach (var header in content.Headers)
        {
            body.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return body;
    }

    private static HttpRequestException TooLarge(long maxBytes) =>
        new($"The response body is larger than {maxBytes / (1024 * 1024)} MB, which no Clever page is.");

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync((_buffer ?? throw new ObjectDisposedException(nameof(CleverResponseBody))).AsMemory(0, _length)).AsTask();

    protected override Task<Stream> CreateContentReadStreamAsync() =>
        Task.FromResult<Stream>(new MemoryStream(_buffer ?? throw new ObjectDisposedException(nameof(CleverResponseBody)), 0, _length, writable: false));

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }
}
