using CleverSyncSOS.Credentials;
using CleverSyncSOS.Onboarding;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Host.Output;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Demo;

/// <summary>
/// The demo, made of the same steps an operator takes: store the district's credentials, onboard the district
/// and its schools, run a full sync, let Clever's data change, run an incremental sync.
/// </summary>
public sealed class DemoRunner(IServiceProvider services, IAnsiConsole console)
{
    /// <summary>The simulated district the demo uses: 3 schools, a few hundred students and a few dozen teachers each.</summary>
    public static SimulatorOptions SimulatorOptions => new()
    {
        Seed = 2026,
        Districts = 1,
        SchoolsPerDistrict = 3,
        StudentsPerSchool = 320,
        TeachersPerSchool = 28,
        InitialEvents = true,
    };

    public async Task<int> RunAsync(CleverSimulator simulator, CancellationToken cancellationToken)
    {
        var district = simulator.Districts[0];
        console.MarkupLine($"[bold]Clever simulator[/] listening on {simulator.BaseUrl} with district [bold]{Markup.Escape(district.Name)}[/] ({district.Schools.Count} schools)");

        console.MarkupLine("[bold]1. Onboarding[/]");
        var secrets = services.GetRequiredService<ISecretStore>();
        var prefix = SecretNames.DefaultDistrictPrefix(district.Id);
        await secrets.SetSecretAsync(SecretNames.DistrictClientId(prefix), district.ClientId, cancellationToken);
        await secrets.SetSecretAsync(SecretNames.DistrictClientSecret(prefix), district.ClientSecret, cancellationToken);
        console.MarkupLine($"  stored the district's client id and secret in the local secret store as {SecretNames.DistrictClientId(prefix)} / {SecretNames.DistrictClientSecret(prefix)}");

        var onboarding = services.GetRequiredService<OnboardingService>();
        await onboarding.AddDistrictAsync(district.Id, district.Name, prefix, cancellationToken);
        foreach (var school in district.Schools)
        {
            var added = await onboarding.AddSchoolAsync(district.Id, school.Id, school.Name, cancellationToken);
            // The simulator starts afresh each time, so an earlier demo's event cursor means nothing to it.
            await onboarding.SetSchoolStateAsync(school.Id, isActive: null, requiresFullSync: true, cancellationToken);
            console.MarkupLine($"  onboarded {Markup.Escape(school.Name)} → database {Markup.Escape(added.DatabaseName ?? "")}");
        }

        var orchestrator = services.GetRequiredService<SyncOrchestrator>();
        var progress = new PlainProgress<SyncProgress>(console, SyncProgressText.Describe);

        console.MarkupLine("[bold]2. Full sync[/]");
        var full = await orchestrator.RunAsync(new SyncRequest(), progress, cancellationToken);
        SyncReport.Render(console, "Full sync", full);

        console.MarkupLine("[bold]3. Changes in Clever[/]");
        var seed = 7;
        foreach (var school in district.Schools)
        {
            var changes = simulator.Store.ApplyRandomChanges(school.Id, adds: 6, edits: 9, removes: 4, seed: seed++);
            console.MarkupLine($"  {Markup.Escape(school.Name)}: {Markup.Escape(changes.Describe())}");
            if (MoveOneStudent(simulator.Store, school.Id) is { } moved)
            {
                console.MarkupLine($"  {Markup.Escape(school.Name)}: {moved}");
            }
        }

        console.MarkupLine("  (a user moved to another school is deleted from this school's database and created in the other's)");
        console.MarkupLine("[bold]4. Incremental sync[/] (from Clever's events)");
        var incremental = await orchestrator.RunAsync(new SyncRequest(), progress, cancellationToken);
        SyncReport.Render(console, "Incremental sync", incremental);

        var data = services.GetRequiredService<DataDirectory>();
        console.MarkupLine($"[bold]Data[/] is in {Markup.Escape(data.Path)}: session.db (districts, schools, sync history) and schools/*.db (students, teachers, sections, courses, terms, enrollments).");
        console.MarkupLine($"  look at it with: sqlite3 {Markup.Escape(data.SessionDbFile)} 'SELECT * FROM SyncHistory'  or  cleversync status --data-dir {Markup.Escape(data.Path)}");
        return Math.Max(SyncReport.ExitCode(full), SyncReport.ExitCode(incremental));
    }

    /// <summary>A student changes class: in Clever that is two sections.updated events, in the school's database one enrollment moved.</summary>
    private static string? MoveOneStudent(SimulatorStore store, string schoolId)
    {
        var sections = store.GetSections(schoolId);
        foreach (var from in sections)
        {
            foreach (var student in from["students"]!.AsArray().Select(s => (string)s!))
            {
                var to = sections.FirstOrDefault(s => !s["students"]!.AsArray().Any(x => (string)x! == student));
                if (to is not null && store.MoveStudentBetweenSections(student, (string)from["id"]!, (string)to["id"]!))
                {
                    return $"moved student {student} from \"{from["name"]}\" to \"{to["name"]}\"";
                }
            }
        }

        return null;
    }
}
