using System.Text.Json.Nodes;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Sync.Changes;

namespace CleverSyncSOS.Host.Service.Api;

/// <summary>One field of a change: its value before (absent for a creation) and after (absent for a deletion).</summary>
public sealed record FieldChangeView(string Field, JsonNode? Old, JsonNode? New)
{
    /// <summary>A value as an operator reads it: a string as is, anything else as JSON, a missing value as "(none)".</summary>
    public static string Text(JsonNode? value) =>
        value is null ? "(none)" : value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
}

/// <summary>One change log entry as the API, the console and the CLI show it. <paramref name="Run"/> is the SyncHistory id of its run.</summary>
public sealed record ChangeView(int Run, DateTime Time, string EntityType, string CleverId, string Action, IReadOnlyList<FieldChangeView> Fields)
{
    public static ChangeView From(ChangeLogEntry entry)
    {
        var old = Parse(entry.OldValues);
        var @new = Parse(entry.NewValues);
        var fields = (old?.Select(p => p.Key) ?? []).Union(@new?.Select(p => p.Key) ?? [], StringComparer.Ordinal)
            .Select(name => new FieldChangeView(name, old?[name]?.DeepClone(), @new?[name]?.DeepClone()))
            .ToList();
        return new ChangeView(entry.SyncId, DateTime.SpecifyKind(entry.ChangedAt, DateTimeKind.Utc), entry.EntityType, entry.CleverId, entry.Action, fields);
    }

    /// <summary>"Name: Ada → Augusta" per changed field; each value for a creation or deletion.</summary>
    public string Describe() => string.Join("; ", Fields.Select(f =>
        Action == ChangeAction.Updated ? $"{f.Field}: {FieldChangeView.Text(f.Old)} → {FieldChangeView.Text(f.New)}"
        : $"{f.Field}: {FieldChangeView.Text(f.Old ?? f.New)}"));

    private static JsonObject? Parse(string? json) => string.IsNullOrEmpty(json) ? null : JsonNode.Parse(json) as JsonObject;
}

/// <summary>The answer of <c>GET /api/schools/{school}/changes</c>: the school and its changes, oldest first.</summary>
public sealed record SchoolChangesView(int SchoolId, string CleverSchoolId, string Name, string CleverDistrictId, IReadOnlyList<ChangeView> Changes);

/// <summary>
/// A school's change log for the API and the console, read through <see cref="ChangeLogReader"/> (the CLI's reader) and limited
/// to the caller's districts: a school of another district, or a run of another school, answers as if it did not exist.
/// </summary>
public sealed class SchoolChanges(ChangeLogReader reader)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;
    public const int MaxCleverIdLength = 100;

    /// <summary>Why these filters are refused, or null when they are fine.</summary>
    public static string? Invalid(int? run, string? cleverId, int? limit) =>
        limit is < 1 or > MaxLimit ? $"limit must be between 1 and {MaxLimit}."
        : run is < 1 ? "run is a SyncHistory id (a positive number)."
        : cleverId is not null && (cleverId.Length is 0 or > MaxCleverIdLength || cleverId.Any(char.IsControl))
            ? $"cleverId is a Clever id of 1 to {MaxCleverIdLength} printable characters."
            : null;

    /// <summary>The latest changes (at most <paramref name="limit"/>, oldest first), or what is missing.</summary>
    public async Task<(SchoolChangesView? Changes, string? Missing)> ReadAsync(DistrictScope scope, string school, int? run, string? cleverId, int limit,
        CancellationToken cancellationToken)
    {
        var found = await FindAsync(school, cancellationToken);
        if (found is null || !scope.Allows(found.DistrictId))
        {
            return (null, $"No school '{school}' is onboarded.");
        }

        IReadOnlyList<ChangeLogEntry> entries;
        try
        {
            var id = found.SchoolId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            (_, entries) = await reader.ReadAsync(new ChangeQuery(id, run, cleverId, limit), cancellationToken);
        }
        catch (ArgumentException)
        {
            // The reader names the school another run belongs to: not something to tell a caller who may not see it.
            return (null, $"No run {run} at school '{school}'.");
        }

        return (new SchoolChangesView(found.SchoolId, found.CleverSchoolId, found.Name, found.DistrictId, entries.Select(ChangeView.From).ToList()), null);
    }

    private async Task<Persistence.Session.School?> FindAsync(string school, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.FindSchoolAsync(school, cancellationToken);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
