using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleverSyncSOS.Health;

/// <summary>
/// Whether every school database is on the latest migration, from <see cref="SchoolSchemaMonitor"/>'s latest scan (this
/// check opens no database). A database behind or unreadable makes it Degraded: the service keeps running and syncs
/// the other schools, but refuses to sync those until <c>cleversync db migrate</c> runs.
/// </summary>
public sealed class SchoolSchemaHealthCheck(SchoolSchemaMonitor monitor) : IHealthCheck
{
    public const string Name = "school-schema";

    /// <summary>How many school ids the description names; the data lists them all.</summary>
    private const int NamedInDescription = 10;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (monitor.Latest is not { } scan)
        {
            return Task.FromResult(HealthCheckResult.Degraded("The school databases' schema versions have not been read yet (the first scan runs at start)."));
        }

        var data = new Dictionary<string, object>
        {
            ["checkedAt"] = scan.CheckedAt,
            ["schoolsChecked"] = scan.SchoolsChecked,
            ["behind"] = scan.Behind,
            ["unreachable"] = scan.Unreachable,
        };
        if (scan.ScanFailed)
        {
            return Task.FromResult(HealthCheckResult.Degraded("The school databases' schema versions could not be read; see the service log.", data: data));
        }

        if (scan.Behind.Count + scan.Unreachable.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{scan.SchoolsChecked} school database(s) on the latest migration.", data));
        }

        var parts = new List<string>();
        if (scan.Behind.Count > 0)
        {
            parts.Add($"{scan.Behind.Count} school database(s) behind the latest migration ({Named(scan.Behind)})");
        }

        if (scan.Unreachable.Count > 0)
        {
            parts.Add($"{scan.Unreachable.Count} could not be read ({Named(scan.Unreachable)})");
        }

        return Task.FromResult(HealthCheckResult.Degraded(
            $"{string.Join(" and ", parts)}: they are not synced until 'cleversync db migrate' brings them up.", data: data));
    }

    private static string Named(IReadOnlyList<string> ids) =>
        string.Join(", ", ids.Take(NamedInDescription)) + (ids.Count > NamedInDescription ? ", …" : "");
}
