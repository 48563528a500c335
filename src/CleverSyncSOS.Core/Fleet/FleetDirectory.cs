using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Fleet;

/// <summary>Reads the fleet from SessionDb: districts with their school counts, schools with their latest runs. Writes nothing.</summary>
public sealed class FleetDirectory(SessionDatabase sessionDatabase)
{
    public async Task<IReadOnlyList<DistrictSummary>> ListDistrictsAsync(CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var districts = await db.Districts.AsNoTracking().OrderBy(d => d.Name).ThenBy(d => d.CleverDistrictId).ToListAsync(cancellationToken);
        var counts = await db.Schools.AsNoTracking()
            .GroupBy(s => s.DistrictId)
            .Select(g => new { District = g.Key, All = g.Count(), Active = g.Count(s => s.IsActive) })
            .ToDictionaryAsync(x => x.District, cancellationToken);
        return districts.Select(d => new DistrictSummary(
                d.CleverDistrictId,
                d.Name,
                d.IsActive,
                d.KeyVaultSecretPrefix ?? SecretNames.DefaultDistrictPrefix(d.CleverDistrictId),
                counts.GetValueOrDefault(d.CleverDistrictId)?.All ?? 0,
                counts.GetValueOrDefault(d.CleverDistrictId)?.Active ?? 0,
                d.CreatedAt,
                d.UpdatedAt))
            .ToList();
    }

    /// <summary>The schools of one district (or all), in name order, keeping those in <paramref name="state"/> when given.</summary>
    public async Task<IReadOnlyList<SchoolSummary>> ListSchoolsAsync(string? cleverDistrictId, SchoolState? state, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        if (cleverDistrictId is not null && !await db.Districts.AnyAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken))
        {
            throw new ArgumentException($"District '{cleverDistrictId}' is not onboarded; 'cleversync district list' shows the onboarded ones.");
        }

        var schools = await db.Schools.AsNoTracking()
            .Where(s => cleverDistrictId == null || s.DistrictId == cleverDistrictId)
            .OrderBy(s => s.Name).ThenBy(s => s.CleverSchoolId)
            .ToListAsync(cancellationToken);
        var lastRuns = await LastRunsAsync(db, cancellationToken);
        return schools
            .Select(s => new SchoolSummary(s.CleverSchoolId, s.Name, s.DistrictId, s.IsActive, s.RequiresFullSync, s.DatabaseName,
                s.KeyVaultConnectionStringSecretName, lastRuns.GetValueOrDefault(s.SchoolId) ?? [], s.CreatedAt, s.UpdatedAt))
            .Where(s => state is null || IsIn(s, state.Value))
            .ToList();
    }

    private static bool IsIn(SchoolSummary school, SchoolState state) => state switch
    {
        SchoolState.Active => school.IsActive,
        SchoolState.Inactive => !school.IsActive,
        SchoolState.FullSyncDue => school.RequiresFullSync,
        SchoolState.NeverSynced => school.NeverSynced,
        SchoolState.Failed => school.LastSyncFailed,
        _ => false,
    };

    /// <summary>The latest run of each entity type, per school (SchoolId).</summary>
    private static async Task<Dictionary<int, IReadOnlyList<EntityLastSync>>> LastRunsAsync(SessionDbContext db, CancellationToken cancellationToken)
    {
        var latestIds = await db.SyncHistory.AsNoTracking()
            .GroupBy(h => new { h.SchoolId, h.EntityType })
            .Select(g => g.Max(h => h.SyncId))
            .ToListAsync(cancellationToken);
        var rows = await db.SyncHistory.AsNoTracking().Where(h => latestIds.Contains(h.SyncId)).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.SchoolId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<EntityLastSync>)g.OrderBy(r => r.EntityType, StringComparer.Ordinal)
                .Select(r => new EntityLastSync(r.EntityType, r.SyncType, r.Status, r.SyncStartTime, r.SyncEndTime, r.ErrorMessage))
                .ToList());
    }
}
