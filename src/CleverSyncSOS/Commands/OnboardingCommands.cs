using System.CommandLine;
using CleverSyncSOS.Authentication;
using CleverSyncSOS.Clever;
using CleverSyncSOS.Credentials;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Naming;
using CleverSyncSOS.Onboarding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>district add</c> and <c>school add</c>: the onboarding path the demo is made of.</summary>
public static class OnboardingCommands
{
    public static Command District()
    {
        var id = new Option<string>("--id") { Description = "Clever district id", Required = true };
        var name = new Option<string>("--name") { Description = "District display name", Required = true };
        var prefix = new Option<string?>("--secret-prefix") { Description = "Prefix of the district's secrets (default: District-{id})" };
        var add = new Command("add", "Add or update a district; its credentials go in the secret store under {prefix}--ClientId and {prefix}--ClientSecret") { id, name, prefix };
        foreach (var option in DistrictEnrollCommand.Options)
        {
            add.Options.Add(option);
        }

        add.SetAction((result, cancellationToken) => result.GetValue(DistrictEnrollCommand.Schools) is not null
            ? DistrictEnrollCommand.RunAsync(result, result.GetValue(id)!, result.GetValue(name)!, result.GetValue(prefix), cancellationToken)
            : CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var district = await services.GetRequiredService<OnboardingService>().AddDistrictAsync(result.GetValue(id)!, result.GetValue(name)!, result.GetValue(prefix), ct);
            var reference = SecretNames.DistrictCredentials(district.KeyVaultSecretPrefix!, null);
            // Interpolated markup escapes every value: ids and names are data, never markup.
            AnsiConsole.MarkupLineInterpolated($"District [bold]{district.Name}[/] ({district.CleverDistrictId}) is onboarded.");
            AnsiConsole.MarkupLineInterpolated($"Store its Clever credentials with: cleversync secrets set {reference.ClientIdSecretName}  and  cleversync secrets set {reference.ClientSecretName}");
            return ExitCodes.Success;
        }, cancellationToken));
        return new Command("district", "Manage districts") { add };
    }

    public static Command School()
    {
        var district = new Option<string>("--district") { Description = "Clever district id (onboarded first)", Required = true };
        var id = new Option<string?>("--id") { Description = "Clever school id" };
        var name = new Option<string?>("--name") { Description = "School display name" };
        var all = new Option<bool>("--all") { Description = "Add every school Clever lists for the district (needs its credentials)" };
        var add = new Command("add", "Add or update a school and create its own database") { district, id, name, all };
        add.Validators.Add(r =>
        {
            if (r.GetValue(all) == (r.GetValue(id) is not null))
            {
                r.AddError("Give either --id and --name, or --all.");
            }
            else if (r.GetValue(id) is not null && string.IsNullOrWhiteSpace(r.GetValue(name)))
            {
                r.AddError("--name is required with --id.");
            }
        });
        add.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var onboarding = services.GetRequiredService<OnboardingService>();
            var districtId = result.GetValue(district)!;
            var schools = result.GetValue(all)
                ? await services.GetRequiredService<DistrictEnrollment>().ListCleverSchoolsAsync(districtId, ct)
                : [(result.GetValue(id)!, result.GetValue(name)!)];
            if (!result.GetValue(all))
            {
                Report(await onboarding.AddSchoolAsync(districtId, schools[0].Id, schools[0].Name, ct));
                return ExitCodes.Success;
            }

            // Every valid school is added; one that is refused is reported and does not stop the others.
            var refused = new List<(string Id, string Reason)>();
            foreach (var (schoolId, schoolName) in schools)
            {
                try
                {
                    Report(await onboarding.AddSchoolAsync(districtId, schoolId, schoolName, ct));
                }
                catch (ArgumentException ex)
                {
                    refused.Add((schoolId, ex.Message));
                }
            }

            foreach (var (schoolId, reason) in refused)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]Not added[/]: school {CleverId.Printable(schoolId)}: {reason}");
            }

            if (refused.Count > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"{schools.Count - refused.Count} of {schools.Count} schools added; {refused.Count} refused.");
            }

            return refused.Count == 0 ? ExitCodes.Success : refused.Count < schools.Count ? ExitCodes.Partial : ExitCodes.Error;
        }, cancellationToken));
        return new Command("school", "Manage schools") { add };
    }

    private static void Report(Persistence.Session.School school) =>
        AnsiConsole.MarkupLineInterpolated(
            $"School [bold]{school.Name}[/] ({school.CleverSchoolId}) is onboarded; its database is {school.DatabaseName} (connection string in secret {school.KeyVaultConnectionStringSecretName}).");
}
