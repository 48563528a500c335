using System.CommandLine;
using CleverSyncSOS.Fleet;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Output;
using CleverSyncSOS.Persistence.Session;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>school list|deactivate|activate|require-full-sync</c>. Only flags change; nothing is deleted.</summary>
public static class SchoolCommands
{
    private static readonly Dictionary<string, SchoolState> States = new(StringComparer.OrdinalIgnoreCase)
    {
        ["active"] = SchoolState.Active,
        ["inactive"] = SchoolState.Inactive,
        ["full-sync-due"] = SchoolState.FullSyncDue,
        ["never-synced"] = SchoolState.NeverSynced,
        ["failed"] = SchoolState.Failed,
    };

    public static void AddTo(Command school)
    {
        school.Subcommands.Add(List());
        school.Subcommands.Add(ActivationCommand.Create("school", "inactive", active: false,
            "Stop syncing a school (it left the district, or the vendor no longer serves it). Its database, secret and history stay",
            (fleet, id, active, ct) => fleet.SetSchoolActiveAsync(id, active, ct)));
        school.Subcommands.Add(ActivationCommand.Create("school", "inactive", active: true, "Sync a deactivated school again",
            (fleet, id, active, ct) => fleet.SetSchoolActiveAsync(id, active, ct)));
        school.Subcommands.Add(RequireFullSync());
    }

    private static Command List()
    {
        var district = new Option<string?>("--district") { Description = "Only this Clever district's schools" };
        var state = new Option<string?>("--state") { Description = "Only schools in this state" };
        state.AcceptOnlyFromAmong([.. States.Keys]);
        var json = JsonOption.Create();
        var command = new Command("list", "List the onboarded schools with their flags and last sync. Exit code 0, or 1 when the district is not onboarded")
        {
            district, state, json,
        };
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            SchoolState? filter = result.GetValue(state) is { } s ? States[s] : null;
            var schools = await services.GetRequiredService<FleetDirectory>().ListSchoolsAsync(result.GetValue(district), filter, ct);
            if (result.GetValue(json))
            {
                await CliJson.WriteAsync(result, new SchoolListJson(CliJson.SchemaVersion, schools.Select(SchoolJson.From).ToList()), CliJsonContext.Default.SchoolListJson);
                return ExitCodes.Success;
            }

            if (schools.Count == 0)
            {
                AnsiConsole.MarkupLine("No school matches.");
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("School id");
            table.AddColumn("Name");
            table.AddColumn("District");
            table.AddColumn("State");
            table.AddColumn("Database");
            table.AddColumn("Last sync (UTC)");
            foreach (var school in schools)
            {
                var last = school.LastSyncs.MaxBy(l => l.StartedAt);
                var flags = (school.IsActive ? "[green]active[/]" : "[yellow]inactive[/]") + (school.RequiresFullSync ? ", full sync due" : "");
                table.AddRow(Markup.Escape(school.CleverSchoolId), Markup.Escape(school.Name), Markup.Escape(school.CleverDistrictId), flags,
                    Markup.Escape(school.DatabaseName ?? "-"),
                    last is null ? "never" : Markup.Escape($"{last.StartedAt:yyyy-MM-dd HH:mm} {last.SyncType} {(school.LastSyncFailed ? SyncStatus.Failed : last.Status)}"));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command RequireFullSync()
    {
        var school = new Option<string?>("--school") { Description = "One school (Clever school id)" };
        var district = new Option<string?>("--district") { Description = "Every school of this Clever district" };
        var all = new Option<bool>("--all") { Description = "Every onboarded school (the start-of-year switch)" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed when stdin is not a terminal)" };
        var json = JsonOption.Create();
        var command = new Command("require-full-sync",
            "Flag schools so their next sync is a full one (active or not). Shows the count and asks first unless --yes. " +
            "Exit code 0 flagged, 1 declined or unknown school/district, 3 missing --yes without a terminal")
        {
            school, district, all, yes, json,
        };
        command.Validators.Add(r =>
        {
            var given = (r.GetValue(school) is not null ? 1 : 0) + (r.GetValue(district) is not null ? 1 : 0) + (r.GetValue(all) ? 1 : 0);
            if (given != 1)
            {
                r.AddError("Give exactly one of --school ID, --district ID or --all.");
            }
        });
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var selection = result.GetValue(school) is { } s ? SchoolSelection.School(s)
                : result.GetValue(district) is { } d ? SchoolSelection.District(d)
                : SchoolSelection.All;
            var asJson = result.GetValue(json);
            var console = JsonOption.Console(asJson);
            var lifecycle = services.GetRequiredService<FleetLifecycle>();
            var count = await lifecycle.CountAsync(selection, ct);
            if (!result.GetValue(yes))
            {
                if (Console.IsInputRedirected)
                {
                    await Console.Error.WriteLineAsync($"Error: this would flag {count} school(s) ({selection.Describe()}) for a full sync; add --yes to confirm when not at a terminal. Nothing changed.");
                    return ExitCodes.ConfigurationError;
                }

                if (!console.Confirm($"Flag {count} school(s) ({Markup.Escape(selection.Describe())}) for a full sync at their next run?", defaultValue: false))
                {
                    console.MarkupLine("Nothing changed.");
                    return ExitCodes.Error;
                }
            }

            var flagged = await lifecycle.RequireFullSyncAsync(selection, ct);
            if (asJson)
            {
                await CliJson.WriteAsync(result, new ChangeJson(CliJson.SchemaVersion, "school require-full-sync", selection.Describe(), flagged), CliJsonContext.Default.ChangeJson);
            }
            else
            {
                AnsiConsole.MarkupLine($"Flagged {flagged} school(s) for a full sync at their next run.");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
