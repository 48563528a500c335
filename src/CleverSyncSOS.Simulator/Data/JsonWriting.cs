using System.Text.Encodings.Web;
using System.Text.Json;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>One writer configuration for every Clever payload so cached bytes and live writes match.</summary>
internal static class JsonWriting
{
    // Relaxed escaping keeps names like "José" readable, as real APIs send them.
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
