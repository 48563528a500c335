using System.Text.Json;
using CleverSyncSOS.Simulator.Data;
using Microsoft.AspNetCore.Http;

namespace CleverSyncSOS.Simulator.Endpoints;

/// <summary>
/// Writes Clever's envelopes with a Utf8JsonWriter straight into the response pipe, flushing as it goes,
/// so a 10,000-record page is never built as an object graph or one big buffer.
/// </summary>
internal static class EnvelopeWriter
{
    private const long FlushEveryBytes = 64 * 1024;

    /// <summary><c>{"data":[{"data":{...},"uri":"..."}],"links":[...]}</c></summary>
    public static async Task WriteListAsync<T>(HttpContext context, IReadOnlyList<T> items, string uriPrefix, Func<T, string> idOf, Action<Utf8JsonWriter, T> writeItem, PageLinks links)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = Responses.Json;
        var pipe = response.BodyWriter;
        using var w = new Utf8JsonWriter(pipe, JsonWriting.Options);
        long flushedAt = 0;

        w.WriteStartObject();
        w.WriteStartArray("data");
        foreach (var item in items)
        {
            w.WriteStartObject();
            w.WritePropertyName("data"u8);
            writeItem(w, item);
            w.WriteString("uri"u8, uriPrefix + idOf(item));
            w.WriteEndObject();
            if (w.BytesCommitted + w.BytesPending - flushedAt > FlushEveryBytes)
            {
                w.Flush();
                flushedAt = w.BytesCommitted;
                await pipe.FlushAsync(context.RequestAborted);
            }
        }
        w.WriteEndArray();
        WriteLinks(w, links);
        w.WriteEndObject();
        w.Flush();
        await pipe.FlushAsync(context.RequestAborted);
    }

    /// <summary><c>{"data":{...},"links":[{"rel":"self","uri":"..."}]}</c></summary>
    public static Task WriteSingleAsync(HttpContext context, Action<Utf8JsonWriter> writeData) =>
        Responses.WriteJson(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("data");
            writeData(w);
            WriteLinks(w, new PageLinks(PageLinks.SelfOf(context.Request), null, null));
            w.WriteEndObject();
        });

    private static void WriteLinks(Utf8JsonWriter w, PageLinks links)
    {
        w.WriteStartArray("links");
        WriteLink(w, "self", links.Self);
        if (links.Next is not null) WriteLink(w, "next", links.Next);
        if (links.Prev is not null) WriteLink(w, "prev", links.Prev);
        w.WriteEndArray();
    }

    private static void WriteLink(Utf8JsonWriter w, string rel, string uri)
    {
        w.WriteStartObject();
        w.WriteString("rel", rel);
        w.WriteString("uri", uri);
        w.WriteEndObject();
    }
}
