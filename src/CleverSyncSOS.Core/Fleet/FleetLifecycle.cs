using CleverSyncSOS.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Fleet;

/// <summary>
/// Switches districts and schools on and off and flags schools for a full sync. Only flags change: no row,
/// database, secret or history is ever deleted, so every step can be undone with its opposite command.
/// </summary>
public sealed class FleetLifecycle(SessionDatabase sessionDatabase, TimeProvider time)
{
    /// <summary>Activates or pauses a district; returns whether its state changed.</summary>
    public async Task<bool> SetDistrictActiveAsync(string cleverDistrictId, bool active, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var district = await db.Districts.SingleOrDefaultAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken)
            ?? throw new ArgumentException($"District '{cleverDistrictId}' is not onboarded; 'cleversync district list' shows the onboarded ones.");
        if (district.IsActive == active)
        {
            return false;
        }

        district.IsActive = active;
        district.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Activates or deactivates a school; its database and history stay. Returns whether its state changed.</summary>
    public async Task<bool> SetSchoolActiveAsync(string cleverSchoolId, bool active, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var school = await db.Schools.SingleOrDefaultAsync(s => s.CleverSchoolId == cleverSchoolId, cancellationToken)
            ?? throw new ArgumentException($"School '{cleverSchoolId}' is not onboarded; 'cleversync school list' shows the onboarded ones.");
        if (school.IsActive == active)
        {
            return false;
        }

        school.IsActive = active;
        school.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>How many schools the selection names (for the confirmation), failing when a named school or district is unknown.</summary>
    public async Task<int> CountAsync(SchoolSelection selection, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        if (selection.CleverDistrictId is { } districtId && !await db.Districts.AnyAsync(d => d.CleverDistrictId == districtId, cancellationToken))
        {
            throw new ArgumentException($"District '{districtId}' is not onboarded; 'cleversync district list' shows the onboarded ones.");
        }

        var count = await Select(db, selection).CountAsync(cancellationToken);
        if (selection.CleverSchoolId is { } schoolId && count == 0)
        {
            throw new ArgumentException($"School '{schoolId}' is not onboarded; 'cleversync school list' shows the onboarded ones.");
        }

        return count;
    }

    /// <summary>
    /// Flags the selected schools (active or not) so their next sync is a full one: the start-of-year switch.
    /// One statement, so a fleet is flagged entirely or not at all. Returns how many schools were flagged.
    /// </summary>
    public async Task<int> RequireFullSyncAsync(SchoolSelection selection, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return await Select(db, selection).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.RequiresFullSync, true)
            .SetProperty(x => x.UpdatedAt, now), cancellationToken);
    }

    private static IQueryable<Persistence.Session.School> Select(Persistence.Session.SessionDbContext db, SchoolSelection selection) =>
        db.Schools.Where(s => (selection.CleverSchoolId == null || s.CleverSchoolId == selection.CleverSchoolId)
                              && (selection.CleverDistrictId == null || s.DistrictId == selection.CleverDistrictId));
}
