using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CleverSyncSOS.Simulator.Data;

/// <summary>
/// Events oldest to newest. Ids come from their own counter with a prefix above every user id.
/// <see cref="Expire"/> drops the whole retained window (the 30-day cut-off, compressed to "now").
/// Not thread-safe: used under the store lock.
/// </summary>
internal sealed class EventLog(ObjectIds ids)
{
    private readonly List<EventRecord> _events = [];
    private long _counter;

    public IReadOnlyList<EventRecord> Events => _events;

    public EventRecord Append(string type, int districtIndex, DateTimeOffset created, byte[] objectJson, JsonObject? previousAttributes, IEnumerable<string> schoolIds)
    {
        var counter = ++_counter;
        var id = ids.Format(IdKind.Event, counter);
        var buffer = new ArrayBufferWriter<byte>(objectJson.Length + 256);
        using (var w = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("type", type);
            w.WriteString("created", Timestamps.Format(created));
            w.WriteStartObject("data");
            w.WritePropertyName("object");
            w.WriteRawValue(objectJson, skipInputValidation: true);
            if (previousAttributes is not null)
            {
                w.WritePropertyName("previous_attributes");
                previousAttributes.WriteTo(w);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        var record = new EventRecord(counter, id, districtIndex, type[..type.IndexOf('.', StringComparison.Ordinal)], schoolIds.Distinct(StringComparer.Ordinal).ToArray(), buffer.WrittenSpan.ToArray());
        _events.Add(record);
        return record;
    }

    public EventRecord? Find(long counter)
    {
        var i = Pager.FirstIndexAbove(_events, e => e.Counter, counter - 1);
        return i < _events.Count && _events[i].Counter == counter ? _events[i] : null;
    }

    public void Expire() => _events.Clear();
}
