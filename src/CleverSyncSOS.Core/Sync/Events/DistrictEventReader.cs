using System.Net;
using System.Text.Json;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Sync.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync.Events;

/// <summary>
/// Reads a district's events from a cursor into a <see cref="DistrictEventStream"/>, each record parsed once with
/// the source that syncs its type; and finds the newest event, the cursor taken before a full read.
/// </summary>
public sealed partial class DistrictEventReader(CleverApiClient clever, IOptions<SyncOptions> options, ILogger<DistrictEventReader> logger)
{
    public async Task<DistrictEventStream> ReadAsync(DistrictCredentials district, string startingAfter, IReadOnlyList<SyncEntity> entities,
        CancellationToken cancellationToken)
    {
        var sources = entities.Select(e => e.Source).GroupBy(s => s.EventRecordType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var limit = options.Value.MaxBufferedEvents;
        var events = new List<DistrictEvent>();
        var last = startingAfter;
        var read = 0;
        var overflowed = false;
        await foreach (var change in clever.GetEventsAsync(district, startingAfter, cancellationToken))
        {
            read++;
            last = change.Id is { Length: > 0 } id ? id : last;
            if (overflowed)
            {
                continue;
            }

            if (events.Count >= limit)
            {
                // Beyond the bound nothing more is kept; the read goes on only to learn the newest event.
                overflowed = true;
                events = [];
                LogOverflowed(logger, district.CleverDistrictId, limit);
                continue;
            }

            events.Add(Parse(change, sources));
        }

        LogRead(logger, read, district.CleverDistrictId);
        return new DistrictEventStream(startingAfter, last, events, overflowed, read);
    }

    /// <summary>
    /// The newest event id ("" when Clever has none yet), or null when events are not available for the district
    /// (switched off: the client has already ruled out a dead token); incremental syncs then compare full reads.
    /// </summary>
    public async Task<string?> LatestEventIdAsync(DistrictCredentials district, CancellationToken cancellationToken)
    {
        try
        {
            return await clever.GetLatestEventIdAsync(district, cancellationToken);
        }
        catch (CleverApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            LogEventsUnavailable(logger, district.CleverDistrictId, ex.Message);
            return null;
        }
    }

    internal static DistrictEvent Parse(CleverEvent change, IReadOnlyDictionary<string, CleverSource> sources)
    {
        var dot = change.Type?.LastIndexOf('.') ?? -1;
        if (dot <= 0)
        {
            return new DistrictEvent(change.Id, null, null, null, []);
        }

        var recordType = change.Type![..dot];
        var kind = change.Type[(dot + 1)..];
        if (kind is not ("created" or "updated" or "deleted") || !sources.TryGetValue(recordType, out var source) || change.Data is not { } data
            || source.ParseEvent(data.Object) is not { } record)
        {
            // Nothing any school applies; the event still marks a position a cursor may name.
            return new DistrictEvent(change.Id, recordType, kind, null, []);
        }

        return new DistrictEvent(change.Id, recordType, kind, record, Concerned(source, kind, record, data.PreviousAttributes));
    }

    /// <summary>
    /// The schools an event may concern: those its record names now, and for an update those its previous attributes
    /// named (a student who moved is held by the old school, which the record no longer names). Null = any school: a
    /// course or term (named by no school), an update whose former state Clever did not send, or a record that names no
    /// school where a school might still hold it. Naming too many schools costs a look-up; too few would lose a removal.
    /// </summary>
    private static string[]? Concerned(CleverSource source, string kind, object record, JsonElement? previous)
    {
        if (!source.NamesItsSchool)
        {
            return null;
        }

        var schools = new HashSet<string>(source.SchoolsOf(record), StringComparer.Ordinal);
        if (kind == "updated")
        {
            if (previous is not { ValueKind: JsonValueKind.Object } before || source.ParseEvent(before) is not { } former)
            {
                return null;
            }

            schools.UnionWith(source.SchoolsOf(former));
        }

        return schools.Count > 0 || kind == "created" ? [.. schools] : null;
    }

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Read {Count} Clever events of district {CleverDistrictId}")]
    private static partial void LogRead(ILogger logger, int count, string cleverDistrictId);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "District {CleverDistrictId} has more than {Limit} new Clever events; its incremental syncs compare full reads this time")]
    private static partial void LogOverflowed(ILogger logger, string cleverDistrictId, int limit);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information, Message = "Clever events are not available for district {CleverDistrictId} ({Detail}); incremental syncs will compare full reads")]
    private static partial void LogEventsUnavailable(ILogger logger, string cleverDistrictId, string detail);
}
