using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using CleverSyncSOS.Fleet;
using CleverSyncSOS.Onboarding;
using CleverSyncSOS.Sync;

namespace CleverSyncSOS.Host.Output;

// The documented, stable shapes of every `--json` output (docs/cli-json.md). They are separate from the domain's
// records on purpose: renaming a domain property must not change what a script reads. A breaking change of a
// shape raises SchemaVersion; adding a property does not.

public sealed record DistrictListJson(int SchemaVersion, IReadOnlyList<DistrictJson> Districts);

public sealed record DistrictJson(string Id, string Name, bool Active, string SecretPrefix, int Schools, int ActiveSchools, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static DistrictJson From(DistrictSummary d) => new(d.CleverDistrictId, d.Name, d.IsActive, d.SecretPrefix, d.Schools, d.ActiveSchools, d.CreatedAt, d.UpdatedAt);
}

public sealed record SchoolListJson(int SchemaVersion, IReadOnlyList<SchoolJson> Schools);

public sealed record SchoolJson(
    string Id, string Name, string DistrictId, bool Active, bool RequiresFullSync, string? DatabaseName, string? ConnectionStringSecret,
    IReadOnlyList<LastSyncJson> LastSyncs, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static SchoolJson From(SchoolSummary s) => new(s.CleverSchoolId, s.Name, s.CleverDistrictId, s.IsActive, s.RequiresFullSync, s.DatabaseName,
        s.ConnectionStringSecretName, s.LastSyncs.Select(LastSyncJson.From).ToList(), s.CreatedAt, s.UpdatedAt);
}

public sealed record LastSyncJson(string EntityType, string SyncType, string Status, DateTime StartedAt, DateTime? EndedAt, string? Error)
{
    public static LastSyncJson From(EntityLastSync s) => new(s.EntityType, s.SyncType.ToString(), s.Status, s.StartedAt, s.EndedAt, s.Error);
}

public sealed record StatusJson(int SchemaVersion, IReadOnlyList<StatusDistrictJson> Districts);

public sealed record StatusDistrictJson(string Id, string Name, bool Active, IReadOnlyList<StatusSchoolJson> Schools);

public sealed record StatusSchoolJson(
    string Id, string Name, bool Active, bool RequiresFullSync, string? DatabaseName, int? Students, int? Teachers, string? DatabaseError,
    IReadOnlyList<LastSyncJson> LastSyncs);

public sealed record CheckJson(int SchemaVersion, bool Passed, IReadOnlyList<CheckItemJson> Items)
{
    public static CheckJson From(IReadOnlyList<ChecklistItem> items) =>
        new(CliJson.SchemaVersion, items.All(i => i.Passed), items.Select(i => new CheckItemJson(i.Subject, i.Check, i.Passed, i.Detail)).ToList());
}

public sealed record CheckItemJson(string Subject, string Check, bool Passed, string Detail);

public sealed record SyncRunJson(int SchemaVersion, int ExitCode, IReadOnlyList<SyncSchoolJson> Schools);

public sealed record SyncSchoolJson(
    string Id, string Name, string DistrictId, string SyncType, string Status, double DurationSeconds, string? Error, IReadOnlyList<SyncEntityJson> Entities)
{
    public static SyncSchoolJson From(SchoolSyncResult r) => new(r.CleverSchoolId, r.SchoolName, r.CleverDistrictId, r.SyncType.ToString(), r.Status,
        Math.Round(r.Duration.TotalSeconds, 3), r.Error,
        r.Entities.Select(e => new SyncEntityJson(e.EntityType, e.SyncType.ToString(), e.Status, e.Processed, e.Created, e.Updated, e.Deleted, e.Failed, e.Warning, e.Error)).ToList());
}

public sealed record SyncEntityJson(string EntityType, string SyncType, string Status, int Processed, int Created, int Updated, int Deleted, int Failed, string? Warning, string? Error);

public sealed record DatabaseRunJson(int SchemaVersion, string Command, bool DryRun, int ExitCode, IReadOnlyList<DatabaseJson> Databases);

public sealed record DatabaseJson(
    string Kind, string Name, string Provider, string? SchoolId, string State, string? VersionBefore, string? VersionAfter, string? LatestVersion,
    IReadOnlyList<string> Pending, string? Error)
{
    public static DatabaseJson From(DatabaseReport r) => new(r.Database.Kind.ToString(), r.Database.Name, r.Database.Provider.ToString(), r.Database.CleverSchoolId,
        r.State.ToString(), r.VersionBefore, r.VersionAfter, r.LatestVersion, r.Pending, r.Error);
}

public sealed record SecretListJson(int SchemaVersion, string Store, IReadOnlyList<SecretJson> Secrets);

public sealed record SecretJson(string Name, string Purpose, bool Present);

public sealed record ChangeJson(int SchemaVersion, string Action, string Target, int Count);

public sealed record EnrollmentJson(int SchemaVersion, string DistrictId, string Name, bool Passed, IReadOnlyList<EnrolledSchoolJson> Schools, IReadOnlyList<CheckItemJson> Checklist)
{
    public static EnrollmentJson From(EnrollmentResult r) => new(CliJson.SchemaVersion, r.CleverDistrictId, r.Name, r.Passed,
        r.Schools.Select(s => new EnrolledSchoolJson(s.CleverSchoolId, s.Name, s.Added, s.DatabaseName, s.Error)).ToList(),
        CheckJson.From(r.Checklist).Items);
}

public sealed record EnrolledSchoolJson(string Id, string Name, bool Added, string? DatabaseName, string? Error);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(DistrictListJson))]
[JsonSerializable(typeof(SchoolListJson))]
[JsonSerializable(typeof(StatusJson))]
[JsonSerializable(typeof(CheckJson))]
[JsonSerializable(typeof(SyncRunJson))]
[JsonSerializable(typeof(DatabaseRunJson))]
[JsonSerializable(typeof(SecretListJson))]
[JsonSerializable(typeof(ChangeJson))]
[JsonSerializable(typeof(EnrollmentJson))]
public sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>
/// Writes one JSON document to the invocation's output (stdout unless a caller such as a test gives another);
/// everything else (progress, prompts, logs) goes to stderr.
/// </summary>
public static class CliJson
{
    public const int SchemaVersion = 1;

    public static async Task WriteAsync<T>(ParseResult result, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var output = result.InvocationConfiguration.Output;
        await output.WriteLineAsync(JsonSerializer.Serialize(value, typeInfo));
        await output.FlushAsync();
    }
}
