using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using CleverSyncSOS.Sync.Entities;
using CleverSyncSOS.Sync.Writing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Sync.Changes;

/// <summary>What to list from a school's change log: one run (any of its SyncHistory ids), one record, or the latest.</summary>
public sealed record ChangeQuery(string School, int? Run = null, string? CleverId = null, int Limit = 200)
{
    /// <summary>Whether a record's key is <paramref name="cleverId"/>'s: the id itself, or an enrollment "{section}:{user}" of it.</summary>
    public static bool Names(string cleverId, string key) =>
        key == cleverId || key.StartsWith(cleverId + ":", StringComparison.Ordinal) || key.EndsWith(":" + cleverId, StringComparison.Ordinal);
}

/// <summary>
/// Reads a school's change log for operators (the CLI; the JSON API and the console read the same). A run is
/// named by any of its SyncHistory ids: the rows of one school that started together. A table's fill is listed as
/// one creation per record with its values then (<see cref="FilledRecords"/>), read a page at a time: at most
/// <see cref="ChangeQuery.Limit"/> entries are ever held.
/// </summary>
public sealed class ChangeLogReader(SessionDatabase sessionDatabase, SchoolDatabases schoolDatabases, IOptions<SyncOptions> options, TimeProvider time)
{
    public async Task<(School School, IReadOnlyList<ChangeLogEntry> Entries)> ReadAsync(ChangeQuery query, CancellationToken cancellationToken)
    {
        var school = await FindSchoolAsync(query.School, cancellationToken);
        var runIds = query.Run is { } run ? await RunIdsAsync(run, cancellationToken) : null;
        if (runIds is not null && runIds.SchoolId != school.SchoolId)
        {
            throw new ArgumentException($"Run {query.Run} belongs to another school (SchoolId {runIds.SchoolId}), not {school.CleverSchoolId}.");
        }

        await using var db = await schoolDatabases.OpenAsync(school, cancellationToken);
        // One snapshot: a fill is read back through the entries after it and the table as it is, which must agree.
        await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var entries = db.ChangeLog.AsNoTracking();
        if (runIds is not null)
        {
            entries = entries.Where(e => runIds.SyncIds.Contains(e.SyncId));
        }

        if (query.CleverId is { } id)
        {
            // An enrollment's key is "{section}:{user}": a student's id finds their enrollments too.
            entries = entries.Where(e => e.CleverId == id || e.CleverId.StartsWith(id + ":") || e.CleverId.EndsWith(":" + id) || e.Action == ChangeAction.Filled);
        }

        var limit = Math.Max(1, query.Limit);
        var newest = new List<ChangeLogEntry>(Math.Min(limit, 10_000));
        foreach (var entry in await entries.OrderByDescending(e => e.ChangeId).Take(limit).ToListAsync(cancellationToken))
        {
            if (newest.Count == limit)
            {
                break;
            }

            if (entry.Action != ChangeAction.Filled)
            {
                newest.Add(entry);
                continue;
            }

            if (SyncEntities.All.FirstOrDefault(e => e.EntityType == entry.EntityType) is not { } entity)
            {
                continue;
            }

            await foreach (var created in CreatedAsync(db, snapshot.GetDbTransaction(), entity.Map(db.Model), entry, query.CleverId, cancellationToken)
                               .Take(limit - newest.Count).WithCancellation(cancellationToken))
            {
                newest.Add(created);
            }
        }

        newest.Reverse();
        return (school, newest);
    }

    /// <summary>The creations a fill entry stands for, newest key first.</summary>
    private async IAsyncEnumerable<ChangeLogEntry> CreatedAsync(SchoolDbContext db, DbTransaction transaction, RosterTableMap map, ChangeLogEntry fill,
        string? cleverId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var later = await db.ChangeLog.AsNoTracking().Where(e => e.EntityType == fill.EntityType && e.ChangeId > fill.ChangeId).ToListAsync(cancellationToken);
        var records = new FilledRecords(map, later);
        var json = new ChangeValues.Writer();
        await using var table = new RosterTableWriter(transaction.Connection!, transaction, SqlDialect.For(schoolDatabases.Provider), map,
            options.Value.BatchSize, time.GetUtcNow().UtcDateTime);
        if (cleverId is not null)
        {
            foreach (var row in (await records.OfAsync(table, cleverId, cancellationToken)).Reverse())
            {
                yield return Created(fill, row, json.Write(map, row));
            }

            yield break;
        }

        await foreach (var page in records.PagesAsync(table, options.Value.BatchSize, cancellationToken))
        {
            foreach (var row in page)
            {
                yield return Created(fill, row, json.Write(map, row));
            }
        }
    }

    private static ChangeLogEntry Created(ChangeLogEntry fill, object?[] row, string values) => new()
    {
        ChangeId = fill.ChangeId, SyncId = fill.SyncId, EntityType = fill.EntityType, CleverId = (string)row[0]!, Action = ChangeAction.Created,
        NewValues = values, ChangedAt = fill.ChangedAt,
    };

    /// <summary>The SyncHistory rows of the run that row <paramref name="syncId"/> belongs to.</summary>
    public async Task<RunRows> RunIdsAsync(int syncId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var row = await db.SyncHistory.AsNoTracking().FirstOrDefaultAsync(h => h.SyncId == syncId, cancellationToken)
            ?? throw new ArgumentException($"No sync run {syncId}: run ids are SyncHistory ids (see 'cleversync changes --school X').");
        var rows = await db.SyncHistory.AsNoTracking()
            .Where(h => h.SchoolId == row.SchoolId && h.SyncStartTime == row.SyncStartTime).ToListAsync(cancellationToken);
        return new RunRows(row.SchoolId, rows.Select(r => r.SyncId).ToHashSet(), rows);
    }

    public async Task<School> FindSchoolAsync(string school, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var query = db.Schools.AsNoTracking();
        return await (int.TryParse(school, out var id)
                ? query.Where(s => s.SchoolId == id || s.CleverSchoolId == school)
                : query.Where(s => s.CleverSchoolId == school)).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ArgumentException($"No school '{school}' is onboarded; 'cleversync status' lists the schools.");
    }

    public async Task<School> SchoolOfAsync(int schoolId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        return await db.Schools.AsNoTracking().SingleAsync(s => s.SchoolId == schoolId, cancellationToken);
    }
}

/// <summary>One run of one school: its SyncHistory rows (one per entity type).</summary>
public sealed record RunRows(int SchoolId, IReadOnlySet<int> SyncIds, IReadOnlyList<SyncHistory> Rows);
