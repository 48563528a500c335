using CleverSyncSOS.Fleet;
using CleverSyncSOS.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Health;

/// <summary>
/// Reads every database's schema version (<see cref="DatabaseFleet.StatusAsync"/>) at start and then every
/// <see cref="DatabaseOptions.SchemaCheckIntervalSeconds"/>, and keeps the latest answer for
/// <see cref="SchoolSchemaHealthCheck"/>. A scan opens every school database, so it runs on this schedule and never
/// once per health request (a load balancer polling <c>/health</c> would otherwise open the fleet every few seconds).
/// </summary>
public sealed partial class SchoolSchemaMonitor(
    DatabaseFleet fleet,
    IOptions<DatabaseOptions> options,
    TimeProvider time,
    ILogger<SchoolSchemaMonitor> logger) : BackgroundService
{
    private volatile SchemaScan? _latest;

    /// <summary>The latest scan; null until the first one has finished.</summary>
    public SchemaScan? Latest => _latest;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SchemaCheckIntervalSeconds), time);
        do
        {
            await ScanAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reports = await fleet.StatusAsync(cancellationToken);
            var scan = SchemaScan.From(reports, time.GetUtcNow());
            if (scan.Behind.Count + scan.Unreachable.Count > 0)
            {
                LogSchoolsNeedMigration(scan.Behind.Count, scan.Unreachable.Count);
            }

            _latest = scan;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // DatabaseFleet reports each database's failure in its own row; this is only reached when the scan
            // itself could not run. The previous answer would be stale: say that the fleet is unknown instead.
            LogScanFailed(ex.GetType().Name);
            _latest = new SchemaScan(time.GetUtcNow(), 0, [], [], ScanFailed: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Behind} school database(s) are behind the latest migration and {Unreachable} could not be read: they are not synced until 'cleversync db migrate' runs")]
    private partial void LogSchoolsNeedMigration(int behind, int unreachable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The school databases' schema versions could not be read ({ExceptionType})")]
    private partial void LogScanFailed(string exceptionType);
}

/// <summary>
/// One scan of the fleet's schema versions: which school databases are behind, which could not be read (by Clever
/// school id; SessionDb as <c>SessionDb</c>). Errors are not kept: their text can name servers.
/// </summary>
public sealed record SchemaScan(DateTimeOffset CheckedAt, int SchoolsChecked, IReadOnlyList<string> Behind, IReadOnlyList<string> Unreachable, bool ScanFailed = false)
{
    public const string SessionDbName = "SessionDb";

    public static SchemaScan From(IReadOnlyList<DatabaseReport> reports, DateTimeOffset checkedAt)
    {
        static string Id(DatabaseReport r) => r.Database.Kind == DatabaseKind.Session ? SessionDbName : r.Database.CleverSchoolId ?? r.Database.Name;
        return new SchemaScan(
            checkedAt,
            reports.Count(r => r.Database.Kind == DatabaseKind.School),
            [.. reports.Where(r => r.State == DatabaseState.Behind).Select(Id)],
            [.. reports.Where(r => r.State == DatabaseState.Failed).Select(Id)]);
    }
}
