using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Onboarding;

/// <summary>
/// Adds districts and schools to SessionDb. Both are idempotent: adding again updates the name and keeps
/// the history, so an onboarding script can be run twice.
/// </summary>
public sealed class OnboardingService(SessionDatabase sessionDatabase, SchoolDatabases schoolDatabases, IOptions<DatabaseOptions> databaseOptions, TimeProvider time)
{
    public async Task<District> AddDistrictAsync(string cleverDistrictId, string name, string? keyVaultSecretPrefix, CancellationToken cancellationToken)
    {
        Require(cleverDistrictId, "Clever district id", 50);
        Require(name, "district name", 200);
        var prefix = keyVaultSecretPrefix ?? SecretNames.DefaultDistrictPrefix(cleverDistrictId);
        if (prefix.Length > 100 || !SecretNames.IsValid(prefix))
        {
            throw new ArgumentException($"The secret prefix '{prefix}' must be 1–100 letters, digits and dashes.");
        }

        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var district = await db.Districts.SingleOrDefaultAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken);
        if (district is null)
        {
            district = new District { CleverDistrictId = cleverDistrictId, Name = name, CreatedAt = now };
            db.Districts.Add(district);
        }

        district.Name = name;
        district.KeyVaultSecretPrefix = prefix;
        district.IsActive = true;
        district.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return district;
    }

    /// <summary>Adds (or updates) a school, creates its own database and stores that database's connection string as a secret.</summary>
    public async Task<School> AddSchoolAsync(string cleverDistrictId, string cleverSchoolId, string name, CancellationToken cancellationToken)
    {
        Require(cleverSchoolId, "Clever school id", 50);
        Require(name, "school name", 200);
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        if (!await db.Districts.AnyAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken))
        {
            throw new ArgumentException($"District '{cleverDistrictId}' is not onboarded; add it first with: cleversync district add --id {cleverDistrictId} --name \"...\"");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var school = await db.Schools.SingleOrDefaultAsync(s => s.CleverSchoolId == cleverSchoolId, cancellationToken);
        if (school is not null && school.DistrictId != cleverDistrictId)
        {
            throw new ArgumentException($"School '{cleverSchoolId}' is already onboarded under district '{school.DistrictId}'.");
        }

        if (school is null)
        {
            school = new School
            {
                CleverSchoolId = cleverSchoolId,
                DistrictId = cleverDistrictId,
                Name = name,
                CreatedAt = now,
                DatabaseName = databaseOptions.Value.SchoolDatabaseNamePrefix + SecretNames.ToSecretNamePart(cleverSchoolId).ToLowerInvariant().Replace('-', '_'),
                KeyVaultConnectionStringSecretName = await UniqueSecretNameAsync(db, name, cleverSchoolId, cancellationToken),
            };
            db.Schools.Add(school);
        }

        school.Name = name;
        school.IsActive = true;
        school.UpdatedAt = now;
        await schoolDatabases.ProvisionAsync(school, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return school;
    }

    public async Task<District> GetDistrictAsync(string cleverDistrictId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        return await db.Districts.AsNoTracking().SingleOrDefaultAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken)
            ?? throw new ArgumentException($"District '{cleverDistrictId}' is not onboarded; add it first with: cleversync district add --id {cleverDistrictId} --name \"...\"");
    }

    public async Task SetSchoolStateAsync(string cleverSchoolId, bool? isActive, bool? requiresFullSync, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var school = await db.Schools.SingleOrDefaultAsync(s => s.CleverSchoolId == cleverSchoolId, cancellationToken)
            ?? throw new ArgumentException($"No school '{cleverSchoolId}' is onboarded.");
        school.IsActive = isActive ?? school.IsActive;
        school.RequiresFullSync = requiresFullSync ?? school.RequiresFullSync;
        school.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    // Two districts may each have a "Lincoln Elementary": the second gets its Clever id in the secret name.
    private static async Task<string> UniqueSecretNameAsync(SessionDbContext db, string name, string cleverSchoolId, CancellationToken cancellationToken)
    {
        var secretName = SecretNames.SchoolConnectionString(name);
        return await db.Schools.AnyAsync(s => s.KeyVaultConnectionStringSecretName == secretName, cancellationToken)
            ? SecretNames.SchoolConnectionString($"{name}-{cleverSchoolId}")
            : secretName;
    }

    internal static void Require(string value, string what, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"The {what} is required.");
        }

        if (value.Length > maxLength)
        {
            throw new ArgumentException($"The {what} is {value.Length} characters; at most {maxLength} are allowed.");
        }
    }
}
