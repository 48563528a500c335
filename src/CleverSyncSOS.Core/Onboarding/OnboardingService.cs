using CleverSyncSOS.Credentials;
using CleverSyncSOS.Naming;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Onboarding;

/// <summary>
/// Adds districts and schools to SessionDb. Both are idempotent: adding again updates the name and keeps
/// the history, so an onboarding script can be run twice. Ids and names are checked before anything is written;
/// a school or district whose database or secret names are already another's is refused, never merged.
/// </summary>
public sealed class OnboardingService(SessionDatabase sessionDatabase, SchoolDatabases schoolDatabases, IOptions<DatabaseOptions> databaseOptions, TimeProvider time)
{
    public async Task<District> AddDistrictAsync(string cleverDistrictId, string name, string? keyVaultSecretPrefix, CancellationToken cancellationToken)
    {
        CleverId.Validate(cleverDistrictId, "Clever district id");
        TextRules.ValidateName(name, "district name", 200);
        if (keyVaultSecretPrefix is not null && !SecretNames.IsValidPrefix(keyVaultSecretPrefix))
        {
            throw new InvalidIdentifierException($"The secret prefix '{CleverId.Printable(keyVaultSecretPrefix)}' must be 1–{SecretNames.MaxPrefixLength} letters, digits and dashes.");
        }

        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var district = Exactly(await db.Districts.SingleOrDefaultAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken),
            d => d.CleverDistrictId, cleverDistrictId, "district");

        // Adding again keeps the prefix the district's credentials are stored under, unless a new one is given.
        var prefix = keyVaultSecretPrefix ?? district?.KeyVaultSecretPrefix ?? SecretNames.DefaultDistrictPrefix(cleverDistrictId);
        var others = await db.Districts.AsNoTracking().Where(d => d.CleverDistrictId != cleverDistrictId)
            .Select(d => new { d.CleverDistrictId, d.KeyVaultSecretPrefix }).ToListAsync(cancellationToken);
        if (others.FirstOrDefault(d => string.Equals(d.KeyVaultSecretPrefix, prefix, StringComparison.OrdinalIgnoreCase)) is { } owner)
        {
            // Key Vault compares names ignoring case: two districts on one prefix would share credentials.
            throw new InvalidIdentifierException(
                $"The secret prefix '{prefix}' is already used by district '{CleverId.Printable(owner.CleverDistrictId)}'; district '{CleverId.Printable(cleverDistrictId)}' was not added. Give it its own with --secret-prefix.");
        }

        RefuseIfDeactivated(district);
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

    /// <summary>
    /// Refuses to add a district that an operator deactivated: adding it again would silently resume its syncs.
    /// Resuming is its own, deliberate command.
    /// </summary>
    public async Task RefuseIfDeactivatedAsync(string cleverDistrictId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        RefuseIfDeactivated(await db.Districts.AsNoTracking().SingleOrDefaultAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken));
    }

    private static void RefuseIfDeactivated(District? district)
    {
        if (district is { IsActive: false })
        {
            throw new InvalidOperationException(
                $"District '{CleverId.Printable(district.CleverDistrictId)}' is deactivated; nothing was changed. Resume it with: cleversync district activate --id {district.CleverDistrictId}");
        }
    }

    /// <summary>Adds (or updates) a school, creates its own database and stores that database's connection string as a secret.</summary>
    public async Task<School> AddSchoolAsync(string cleverDistrictId, string cleverSchoolId, string name, CancellationToken cancellationToken)
    {
        CleverId.Validate(cleverSchoolId, "Clever school id");
        TextRules.ValidateName(name, "school name", 200);
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        if (Exactly(await db.Districts.AsNoTracking().SingleOrDefaultAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken),
                d => d.CleverDistrictId, cleverDistrictId, "district") is null)
        {
            throw new ArgumentException($"District '{CleverId.Printable(cleverDistrictId)}' is not onboarded; add it first with: cleversync district add --id {cleverDistrictId} --name \"...\"");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var school = Exactly(await db.Schools.SingleOrDefaultAsync(s => s.CleverSchoolId == cleverSchoolId, cancellationToken),
            s => s.CleverSchoolId, cleverSchoolId, "school");
        if (school is not null && school.DistrictId != cleverDistrictId)
        {
            throw new ArgumentException($"School '{CleverId.Printable(cleverSchoolId)}' is already onboarded under district '{CleverId.Printable(school.DistrictId)}'.");
        }

        if (school is null)
        {
            var databaseName = SchoolDatabaseNames.For(databaseOptions.Value.SchoolDatabaseNamePrefix, cleverSchoolId);
            school = new School
            {
                CleverSchoolId = cleverSchoolId,
                DistrictId = cleverDistrictId,
                Name = name,
                CreatedAt = now,
                DatabaseName = databaseName,
                KeyVaultConnectionStringSecretName = SecretNames.SchoolDatabaseConnectionString(databaseName),
            };
            await RefuseClaimedNamesAsync(db, school, cancellationToken);
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
        return Exactly(await db.Districts.AsNoTracking().SingleOrDefaultAsync(d => d.CleverDistrictId == cleverDistrictId, cancellationToken),
                   d => d.CleverDistrictId, cleverDistrictId, "district")
            ?? throw new ArgumentException($"District '{CleverId.Printable(cleverDistrictId)}' is not onboarded; add it first with: cleversync district add --id {cleverDistrictId} --name \"...\"");
    }

    public async Task SetSchoolStateAsync(string cleverSchoolId, bool? isActive, bool? requiresFullSync, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var school = Exactly(await db.Schools.SingleOrDefaultAsync(s => s.CleverSchoolId == cleverSchoolId, cancellationToken), s => s.CleverSchoolId, cleverSchoolId, "school")
            ?? throw new ArgumentException($"No school '{CleverId.Printable(cleverSchoolId)}' is onboarded.");
        school.IsActive = isActive ?? school.IsActive;
        school.RequiresFullSync = requiresFullSync ?? school.RequiresFullSync;
        school.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    // Names are unique by construction; a school onboarded by an earlier version may still hold one (e.g. "ab" made
    // school_ab for the id "AB"). Comparing ignoring case covers SQL Server, Key Vault and case-insensitive file systems.
    private static async Task RefuseClaimedNamesAsync(SessionDbContext db, School school, CancellationToken cancellationToken)
    {
        var claims = await db.Schools.AsNoTracking()
            .Select(s => new { s.CleverSchoolId, s.DatabaseName, s.KeyVaultConnectionStringSecretName }).ToListAsync(cancellationToken);
        var owner = claims.FirstOrDefault(s => string.Equals(s.DatabaseName, school.DatabaseName, StringComparison.OrdinalIgnoreCase)
                                               || string.Equals(s.KeyVaultConnectionStringSecretName, school.KeyVaultConnectionStringSecretName, StringComparison.OrdinalIgnoreCase));
        if (owner is not null)
        {
            throw new InvalidIdentifierException(
                $"School '{CleverId.Printable(school.CleverSchoolId)}' would use the database {school.DatabaseName}, which school '{CleverId.Printable(owner.CleverSchoolId)}' already uses; it was not added.");
        }
    }

    // SQL Server's default collation finds "AB" when asked for "ab": such a row is another id, never this one.
    private static T? Exactly<T>(T? found, Func<T, string> id, string wanted, string what) where T : class =>
        found is null || string.Equals(id(found), wanted, StringComparison.Ordinal)
            ? found
            : throw new InvalidIdentifierException(
                $"The {what} id '{CleverId.Printable(wanted)}' differs only in case from the onboarded {what} '{CleverId.Printable(id(found))}', and SessionDb's database compares ids ignoring case; it is refused.");
}
