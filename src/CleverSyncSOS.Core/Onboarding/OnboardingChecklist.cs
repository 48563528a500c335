using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Onboarding;

/// <summary>One line of the onboarding checklist: what was checked, for which district or school, and what was found.</summary>
public sealed record ChecklistItem(string Subject, string Check, bool Passed, string Detail);

/// <summary>
/// The rollout's tenant onboarding checklist, run against the real systems: the district's credentials are in
/// the secret store, Clever issues a token with the required scopes, Clever lists each onboarded school, and
/// each school's database is reachable and migrated. Nothing here writes anything.
/// </summary>
public sealed class OnboardingChecklist(
    SessionDatabase sessionDatabase,
    ISecretStore secrets,
    ICleverTokenProvider tokens,
    CleverApiClient clever,
    SchoolDatabases schoolDatabases,
    IOptions<SecretStoreOptions> secretOptions)
{
    public async Task<IReadOnlyList<ChecklistItem>> RunAsync(string? cleverDistrictId, CancellationToken cancellationToken)
    {
        await using var db = await sessionDatabase.CreateDbContextAsync(cancellationToken);
        var districts = await db.Districts.AsNoTracking()
            .Where(d => cleverDistrictId == null || d.CleverDistrictId == cleverDistrictId).OrderBy(d => d.Name).ToListAsync(cancellationToken);
        if (districts.Count == 0)
        {
            return [new ChecklistItem(cleverDistrictId ?? "-", "District onboarded", false, "No district is onboarded; run 'cleversync district add'.")];
        }

        var items = new List<ChecklistItem>();
        foreach (var district in districts)
        {
            var schools = await db.Schools.AsNoTracking().Where(s => s.DistrictId == district.CleverDistrictId).OrderBy(s => s.Name).ToListAsync(cancellationToken);
            items.AddRange(await CheckDistrictAsync(district, schools, cancellationToken));
            foreach (var school in schools)
            {
                items.Add(await CheckDatabaseAsync(school, cancellationToken));
            }
        }

        return items;
    }

    private async Task<IEnumerable<ChecklistItem>> CheckDistrictAsync(District district, IReadOnlyList<School> schools, CancellationToken cancellationToken)
    {
        var subject = $"{district.Name} ({district.CleverDistrictId})";
        var credentials = DistrictCredentials.For(district, secretOptions.Value.VaultUri);
        var names = new[] { credentials.Credentials.ClientIdSecretName, credentials.Credentials.ClientSecretName };
        var missing = new List<string>();
        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(await secrets.GetSecretAsync(name, cancellationToken)))
            {
                missing.Add(name);
            }
        }

        var items = new List<ChecklistItem>
        {
            new(subject, "Credentials stored", missing.Count == 0,
                missing.Count == 0 ? $"{string.Join(" and ", names)} are in the secret store" : $"missing: {string.Join(", ", missing)}"),
        };
        if (missing.Count > 0)
        {
            return items;
        }

        try
        {
            var token = await tokens.CheckAsync(credentials, cancellationToken);
            items.Add(new(subject, "Token acquisition", true, $"Clever issued a token with scopes {token.Scope}"));
        }
        catch (CleverAuthenticationException ex)
        {
            items.Add(new(subject, "Token acquisition", false, ex.Message));
            return items;
        }

        try
        {
            var listed = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var school in clever.GetSchoolsAsync(credentials, cancellationToken))
            {
                listed.Add(school.Id ?? "");
            }

            var unknown = schools.Where(s => !listed.Contains(s.CleverSchoolId)).Select(s => $"{s.Name} ({s.CleverSchoolId})").ToList();
            items.Add(new(subject, "Schools known to Clever", unknown.Count == 0,
                unknown.Count == 0 ? $"all {schools.Count} onboarded schools are shared with the app" : $"Clever does not list: {string.Join(", ", unknown)}"));
        }
        catch (CleverApiException ex)
        {
            items.Add(new(subject, "Schools known to Clever", false, ex.Message));
        }

        return items;
    }

    private async Task<ChecklistItem> CheckDatabaseAsync(School school, CancellationToken cancellationToken)
    {
        var subject = $"{school.Name} ({school.CleverSchoolId})";
        try
        {
            await using var db = await schoolDatabases.OpenAsync(school, cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            var students = await db.Students.CountAsync(cancellationToken);
            return pending.Count == 0
                ? new(subject, "School database", true, $"{school.DatabaseName} is reachable and migrated ({students:N0} students)")
                : new(subject, "School database", false, $"{school.DatabaseName} lacks migrations: {string.Join(", ", pending)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new(subject, "School database", false, $"cannot be opened: {ex.GetBaseException().Message}");
        }
    }
}
