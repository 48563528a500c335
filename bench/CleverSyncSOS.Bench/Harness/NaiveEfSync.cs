using CleverSyncSOS.Clever;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Bench.Harness;

/// <summary>
/// The naive EF Core baseline: the same pages through the same <see cref="CleverApiClient"/>, then for each
/// record a query for the existing row, an add or an update through the change tracker, and SaveChanges every
/// <c>saveEvery</c> records (each SaveChanges its own transaction; the tracker cleared after it, which is
/// kinder to the baseline than letting it grow). Records Clever no longer has are then removed the same way.
/// </summary>
public static class NaiveEfSync
{
    public sealed record Outcome(long Read, long Written, long Failed);

    public static async Task<Outcome> RunAsync(SyncHarness harness, string schoolId, int saveEvery, long? maxRecords, CancellationToken cancellationToken)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        var clever = scope.ServiceProvider.GetRequiredService<CleverApiClient>();
        var school = await harness.SchoolAsync(schoolId, cancellationToken);
        await using var db = await harness.Services.GetRequiredService<SchoolDatabases>().OpenAsync(school, cancellationToken);
        var now = DateTime.UtcNow;
        var state = new State(db, saveEvery, maxRecords);

        var seenStudents = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var user in clever.GetSchoolUsersAsync(harness.Credentials, schoolId, "student", cancellationToken))
        {
            if (state.Done)
            {
                break;
            }

            var s = user.ToStudent();
            if (!state.Accept(s.Id, s.Name))
            {
                continue;
            }

            seenStudents.Add(s.Id);
            var row = await db.Students.FirstOrDefaultAsync(x => x.CleverStudentId == s.Id, cancellationToken);
            if (row is null)
            {
                row = new Student { CleverStudentId = s.Id, FirstName = s.Name.First!, LastName = s.Name.Last!, CreatedAt = now, UpdatedAt = now };
                db.Students.Add(row);
            }

            row.FirstName = s.Name.First!;
            row.LastName = s.Name.Last!;
            row.Email = s.Email;
            row.Grade = s.Grade;
            row.StudentNumber = s.StudentNumber;
            row.LastModifiedInClever = s.LastModified;
            row.IsActive = true;
            row.DeactivatedAt = null;
            await state.TouchedAsync(row, r => r.UpdatedAt = now, cancellationToken);
        }

        await state.SaveAsync(cancellationToken);

        var seenTeachers = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var user in clever.GetSchoolUsersAsync(harness.Credentials, schoolId, "teacher", cancellationToken))
        {
            if (state.Done)
            {
                break;
            }

            var t = user.ToTeacher();
            if (!state.Accept(t.Id, t.Name) || t.Email is null)
            {
                continue;
            }

            seenTeachers.Add(t.Id);
            var row = await db.Teachers.FirstOrDefaultAsync(x => x.CleverTeacherId == t.Id, cancellationToken);
            if (row is null)
            {
                row = new Teacher { CleverTeacherId = t.Id, FirstName = t.Name.First!, LastName = t.Name.Last!, Email = t.Email, CreatedAt = now, UpdatedAt = now };
                db.Teachers.Add(row);
            }

            row.FirstName = t.Name.First!;
            row.LastName = t.Name.Last!;
            row.Email = t.Email;
            row.Title = t.Title;
            row.LastModifiedInClever = t.LastModified;
            row.IsActive = true;
            row.DeactivatedAt = null;
            await state.TouchedAsync(row, r => r.UpdatedAt = now, cancellationToken);
        }

        await state.SaveAsync(cancellationToken);

        if (!state.Done)
        {
            // Records Clever no longer has: compared in memory, then each one loaded and removed through the change tracker.
            var students = await db.Students.AsNoTracking().Select(x => new { x.StudentId, x.CleverStudentId }).ToListAsync(cancellationToken);
            foreach (var stale in students.Where(x => !seenStudents.Contains(x.CleverStudentId)))
            {
                db.Students.Remove((await db.Students.FindAsync([stale.StudentId], cancellationToken))!);
                await state.CountAsync(cancellationToken);
            }

            var teachers = await db.Teachers.AsNoTracking().Select(x => new { x.TeacherId, x.CleverTeacherId }).ToListAsync(cancellationToken);
            foreach (var stale in teachers.Where(x => !seenTeachers.Contains(x.CleverTeacherId)))
            {
                db.Teachers.Remove((await db.Teachers.FindAsync([stale.TeacherId], cancellationToken))!);
                await state.CountAsync(cancellationToken);
            }

            await state.SaveAsync(cancellationToken);
        }

        return new Outcome(state.Read, state.Written, state.Failed);
    }

    private sealed class State(DbContext db, int saveEvery, long? maxRecords)
    {
        private int _pending;

        public long Read { get; private set; }
        public long Written { get; private set; }
        public long Failed { get; private set; }
        public bool Done => maxRecords is { } max && Read >= max;

        public bool Accept(string id, CleverName name)
        {
            Read++;
            if (id.Length > 0 && !string.IsNullOrEmpty(name.First) && !string.IsNullOrEmpty(name.Last))
            {
                return true;
            }

            Failed++;
            return false;
        }

        /// <summary>Stamps UpdatedAt only when the tracker saw a change, then counts the record towards the next SaveChanges.</summary>
        public async Task TouchedAsync<T>(T row, Action<T> stamp, CancellationToken cancellationToken)
            where T : class
        {
            if (db.Entry(row).State == EntityState.Modified)
            {
                stamp(row);
            }

            await CountAsync(cancellationToken);
        }

        public async Task CountAsync(CancellationToken cancellationToken)
        {
            if (++_pending >= saveEvery)
            {
                await SaveAsync(cancellationToken);
            }
        }

        public async Task SaveAsync(CancellationToken cancellationToken)
        {
            Written += await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            _pending = 0;
        }
    }
}
