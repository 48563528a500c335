using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Fleet;

/// <summary>
/// Keeps every database of the fleet on one schema version: SessionDb and each school's database, on whichever
/// providers are configured. <see cref="StatusAsync"/> only reads; <see cref="MigrateAsync"/> applies the missing
/// migrations, SessionDb first and then the schools in parallel with a bound. One database's failure is reported
/// in its own row and never stops the others. Nothing is ever created for a school that lacks a connection string.
/// </summary>
public sealed partial class DatabaseFleet(
    SessionDatabase sessionDatabase,
    SchoolDatabases schoolDatabases,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseFleet> logger)
{
    public const int DefaultParallelism = 4;

    /// <summary>Every database with its version; nothing is changed. The service can list those behind from it.</summary>
    public Task<IReadOnlyList<DatabaseReport>> StatusAsync(CancellationToken cancellationToken, int parallelism = DefaultParallelism) =>
        RunAsync(migrate: false, parallelism, progress: null, cancellationToken);

    /// <summary>Applies the missing migrations of every database (or, with <paramref name="dryRun"/>, says which it would apply).</summary>
    public Task<IReadOnlyList<DatabaseReport>> MigrateAsync(bool dryRun, int parallelism, IProgress<DatabaseReport>? progress, CancellationToken cancellationToken) =>
        RunAsync(migrate: !dryRun, parallelism, progress, cancellationToken);

    private async Task<IReadOnlyList<DatabaseReport>> RunAsync(bool migrate, int parallelism, IProgress<DatabaseReport>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var session = new FleetDatabase(DatabaseKind.Session, "SessionDb", options.Value.SessionDbProvider);
        var sessionReport = await VisitAsync(session, async ct => await sessionDatabase.CreateDbContextAsync(ct), migrate, cancellationToken);
        progress?.Report(sessionReport);

        List<School> schools;
        try
        {
            await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
            schools = await db.Schools.AsNoTracking().OrderBy(s => s.CleverSchoolId).ToListAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Without SessionDb's school list the school databases are unknown; say so rather than report none. A
            // SessionDb that is merely behind (a dry run, a new folder) stays "behind": its schools are listed once it is migrated.
            return sessionReport.State == DatabaseState.Behind
                ? [sessionReport with { Error = "the school databases are listed once SessionDb is migrated" }]
                : [sessionReport with { State = DatabaseState.Failed, Error = Combine(sessionReport.Error, $"the school databases cannot be listed: {Describe(ex)}") }];
        }

        var reports = new DatabaseReport[schools.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, schools.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var school = schools[index];
                var target = new FleetDatabase(DatabaseKind.School, school.DatabaseName ?? school.CleverSchoolId, schoolDatabases.Provider, school.CleverSchoolId, school.Name);
                reports[index] = await VisitAsync(target, async c => await schoolDatabases.ConnectAsync(school, c, pooled: false), migrate, ct);
                progress?.Report(reports[index]);
            });
        return [sessionReport, .. reports];
    }

    private async Task<DatabaseReport> VisitAsync(FleetDatabase target, Func<CancellationToken, Task<DbContext>> open, bool migrate, CancellationToken cancellationToken)
    {
        string? before = null;
        string? latest = null;
        try
        {
            await using var db = await open(cancellationToken);
            var known = db.Database.GetMigrations().ToList();
            latest = known.LastOrDefault();
            var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
            before = applied.LastOrDefault();
            var pending = known.Except(applied, StringComparer.Ordinal).ToList();
            if (pending.Count == 0)
            {
                return new(target, DatabaseState.Current, before, before, latest, [], null);
            }

            if (!migrate)
            {
                return new(target, DatabaseState.Behind, before, before, latest, pending, null);
            }

            LogMigrating(target.Kind, target.Name, pending.Count);
            await DatabaseMigrator.MigrateAsync(db, logger, cancellationToken);
            var after = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
            return new(target, DatabaseState.Migrated, before, after, latest, [], null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(target.Kind, target.Name, Describe(ex));
            return new(target, DatabaseState.Failed, before, before, latest, [], Describe(ex));
        }
    }

    private static string Describe(Exception ex) => ex.GetBaseException().Message;

    private static string Combine(string? first, string second) => first is null ? second : $"{first}; {second}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrating {Kind} database {Database}: {Count} migration(s)")]
    private partial void LogMigrating(DatabaseKind kind, string database, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} database {Database} could not be read or migrated: {Reason}")]
    private partial void LogFailed(DatabaseKind kind, string database, string reason);
}
