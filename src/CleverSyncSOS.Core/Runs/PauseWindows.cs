using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Runs;

/// <summary>Districts' pause windows: scheduled syncs inside one are skipped, and a school's first sync after one is full.</summary>
public sealed class PauseWindows(SessionDatabase sessionDatabase, TimeProvider time)
{
    /// <summary>Adds a window; <paramref name="visible"/> false (a caller limited to other districts) answers exactly as for a district not onboarded.</summary>
    public async Task<DistrictPauseWindow> AddAsync(string cleverDistrictId, DateTime startsAt, DateTime endsAt, string? reason, CancellationToken cancellationToken,
        bool visible = true)
    {
        startsAt = AsUtc(startsAt, "start");
        endsAt = AsUtc(endsAt, "end");
        if (endsAt <= startsAt)
        {
            throw new ArgumentException($"A pause window must end after it starts ({startsAt:u} – {endsAt:u}).");
        }

        if (reason is { Length: > 500 })
        {
            throw new ArgumentException("A pause window's reason is at most 500 characters.");
        }

        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        if (!visible || !await db.Districts.AnyAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken))
        {
            throw new KeyNotFoundException($"No district '{cleverDistrictId}' is onboarded; 'cleversync status' lists the districts.");
        }

        var window = new DistrictPauseWindow
        {
            CleverDistrictId = cleverDistrictId, StartsAt = startsAt, EndsAt = endsAt, Reason = reason, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.DistrictPauseWindows.Add(window);
        await db.SaveChangesAsync(cancellationToken);
        return window;
    }

    public async Task<IReadOnlyList<DistrictPauseWindow>> ListAsync(string? cleverDistrictId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var query = db.DistrictPauseWindows.AsNoTracking();
        if (cleverDistrictId is not null)
        {
            query = query.Where(w => w.CleverDistrictId == cleverDistrictId);
        }

        return await query.OrderBy(w => w.CleverDistrictId).ThenBy(w => w.StartsAt).ToListAsync(cancellationToken);
    }

    /// <summary>Removes a window; false when there is none with that id (in that district, when given).</summary>
    public async Task<bool> RemoveAsync(int id, string? cleverDistrictId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        return await db.DistrictPauseWindows.Where(w => w.Id == id && (cleverDistrictId == null || w.CleverDistrictId == cleverDistrictId))
            .ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>The window a district is in now, if any.</summary>
    public async Task<DistrictPauseWindow?> ActiveAsync(string cleverDistrictId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        return await db.DistrictPauseWindows.AsNoTracking()
            .Where(w => w.CleverDistrictId == cleverDistrictId && w.StartsAt <= now && w.EndsAt > now)
            .OrderByDescending(w => w.EndsAt).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Whether a school's next sync must be full because a pause window of its district ended after its last completed
    /// sync: whatever changed in Clever during the window is read in full, not pieced together from events.
    /// </summary>
    public async Task<bool> EndedSinceLastSyncAsync(School school, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var lastCompleted = await db.SyncHistory.AsNoTracking()
            .Where(h => h.SchoolId == school.SchoolId && (h.Status == SyncStatus.Success || h.Status == SyncStatus.Partial))
            .MaxAsync(h => h.SyncEndTime, cancellationToken);
        return lastCompleted is { } last && await db.DistrictPauseWindows.AsNoTracking()
            .AnyAsync(w => w.CleverDistrictId == school.DistrictId && w.EndsAt <= now && w.EndsAt > last && w.StartsAt < w.EndsAt, cancellationToken);
    }

    private static DateTime AsUtc(DateTime value, string which) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => throw new ArgumentException($"The pause window's {which} needs a time zone (e.g. 2027-06-15T00:00:00Z)."),
    };
}
