using CleverSyncSOS.Naming;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence;
using Microsoft.Extensions.Options;

namespace CleverSyncSOS.Onboarding;

/// <summary>Which schools a one-command onboarding adds: every school Clever lists for the district, none, or the named ones.</summary>
public sealed record SchoolChoice(bool All, IReadOnlyList<string> CleverSchoolIds)
{
    public static SchoolChoice Every { get; } = new(true, []);

    public static SchoolChoice None { get; } = new(false, []);

    /// <summary>"all", "none", or Clever school ids separated by commas.</summary>
    public static SchoolChoice Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "all" => Every,
        "none" or "" => None,
        _ => new(false, value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList()),
    };
}

/// <summary>A district's Clever client id and secret, as the operator typed them; held only for one onboarding.</summary>
public sealed record ClientCredentials(string ClientId, string ClientSecret)
{
    public override string ToString() => "ClientCredentials { *** }";
}

/// <summary>What became of one school in an onboarding.</summary>
public sealed record SchoolEnrollment(string CleverSchoolId, string Name, string? DatabaseName, string? Error)
{
    public bool Added => Error is null;
}

/// <summary>The outcome of a one-command onboarding: the schools added (or why not) and the checklist run afterwards.</summary>
public sealed record EnrollmentResult(string CleverDistrictId, string Name, IReadOnlyList<SchoolEnrollment> Schools, IReadOnlyList<ChecklistItem> Checklist)
{
    public bool Passed => Schools.All(s => s.Added) && Checklist.All(c => c.Passed);
}

/// <summary>
/// Onboards a district in one step: asks Clever for a token with the credentials given BEFORE anything is saved
/// (wrong credentials leave no secret, district or school behind), then stores the credentials, adds the
/// district and its schools, and runs the onboarding checklist. One school that cannot be added does not stop
/// the others; it is reported with its reason.
/// </summary>
public sealed class DistrictEnrollment(
    CleverTokenClient tokenClient,
    SessionDatabase sessionDatabase,
    ISecretStore secrets,
    OnboardingService onboarding,
    CleverApiClient clever,
    OnboardingChecklist checklist,
    IOptions<SecretStoreOptions> secretOptions)
{
    public async Task<EnrollmentResult> EnrollAsync(string cleverDistrictId, string name, string? secretPrefix, ClientCredentials credentials,
        SchoolChoice schools, CancellationToken cancellationToken)
    {
        CleverId.Validate(cleverDistrictId, "Clever district id");
        TextRules.ValidateName(name, "district name", 200);
        TextRules.ValidateName(credentials.ClientId, "client id", 500);
        TextRules.ValidateName(credentials.ClientSecret, "client secret", 500);
        var reference = SecretNames.DistrictCredentials(secretPrefix ?? SecretNames.DefaultDistrictPrefix(cleverDistrictId), secretOptions.Value.VaultUri);

        // Nothing is written before Clever has accepted the credentials for this very district.
        // Not even SessionDb is created before: a first onboarding with wrong credentials leaves an empty folder.
        await tokenClient.RequestTokenAsync(cleverDistrictId, credentials.ClientId, credentials.ClientSecret, cancellationToken);
        await sessionDatabase.MigrateAsync(cancellationToken);
        await onboarding.RefuseIfDeactivatedAsync(cleverDistrictId, cancellationToken);

        await secrets.SetSecretAsync(reference.ClientIdSecretName, credentials.ClientId, cancellationToken);
        await secrets.SetSecretAsync(reference.ClientSecretName, credentials.ClientSecret, cancellationToken);
        var district = await onboarding.AddDistrictAsync(cleverDistrictId, name, secretPrefix, cancellationToken);

        var added = new List<SchoolEnrollment>();
        if (schools.All || schools.CleverSchoolIds.Count > 0)
        {
            var listed = await ListCleverSchoolsAsync(district, cancellationToken);
            var wanted = schools.All
                ? listed
                : schools.CleverSchoolIds.Select(id => (Id: id, Name: listed.FirstOrDefault(l => l.Id == id).Name)).ToList();
            foreach (var (schoolId, schoolName) in wanted)
            {
                added.Add(await AddSchoolAsync(cleverDistrictId, schoolId, schoolName, cancellationToken));
            }
        }

        return new EnrollmentResult(cleverDistrictId, district.Name, added, await checklist.RunAsync(cleverDistrictId, cancellationToken));
    }

    private async Task<SchoolEnrollment> AddSchoolAsync(string cleverDistrictId, string cleverSchoolId, string? name, CancellationToken cancellationToken)
    {
        if (name is null)
        {
            return new(cleverSchoolId, cleverSchoolId, null, $"Clever does not list school '{cleverSchoolId}' for district {cleverDistrictId}.");
        }

        try
        {
            var school = await onboarding.AddSchoolAsync(cleverDistrictId, cleverSchoolId, name, cancellationToken);
            return new(cleverSchoolId, school.Name, school.DatabaseName, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new(cleverSchoolId, name, null, ex.GetBaseException().Message);
        }
    }

    /// <summary>The schools Clever lists for an onboarded district, as (Clever school id, name).</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> ListCleverSchoolsAsync(string cleverDistrictId, CancellationToken cancellationToken) =>
        await ListCleverSchoolsAsync(await onboarding.GetDistrictAsync(cleverDistrictId, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<(string Id, string Name)>> ListCleverSchoolsAsync(Persistence.Session.District district, CancellationToken cancellationToken)
    {
        var schools = new List<(string, string)>();
        await foreach (var school in clever.GetSchoolsAsync(DistrictCredentials.For(district, secretOptions.Value.VaultUri), cancellationToken))
        {
            // A school without an id is passed on too, so adding it is refused and reported rather than skipped unseen.
            var schoolId = school.Id ?? "";
            schools.Add((schoolId, string.IsNullOrWhiteSpace(school.Name) ? schoolId : school.Name));
        }

        return schools;
    }
}
