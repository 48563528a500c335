using System.CommandLine;
using CleverSyncSOS.Fleet;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Output;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary>
/// <c>db migrate [--dry-run]</c> and <c>db status</c>: one schema version across SessionDb and every school database.
/// SessionDb is not migrated before these run (every other command does that), so a dry run and the status see it as it is.
/// </summary>
public static class DbCommand
{
    public static Command Create()
    {
        var command = new Command("db", "Schema versions of SessionDb and every school database");
        command.Subcommands.Add(Migrate());
        command.Subcommands.Add(Status());
        return command;
    }

    private static Command Migrate()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only say which databases would be migrated and to which version" };
        var parallel = Parallelism();
        var json = JsonOption.Create();
        var command = new Command("migrate",
            "Apply the missing migrations to SessionDb, then to every school database (active or not), several at once. " +
            "One database's failure does not stop the others. Exit code 0 all current, 1 any database failed (or, with --dry-run, is behind)")
        {
            dryRun, parallel, json,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result, json, "migrate", result.GetValue(dryRun), (fleet, progress, ct) =>
            fleet.MigrateAsync(result.GetValue(dryRun), result.GetValue(parallel), progress, ct), cancellationToken));
        return command;
    }

    private static Command Status()
    {
        var parallel = Parallelism();
        var json = JsonOption.Create();
        var command = new Command("status",
            "List the databases that are behind the latest migration or cannot be read (serve does not sync those schools); changes nothing. Exit code 0 all current, 1 any behind or unreadable")
        {
            parallel, json,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result, json, "status", false, (fleet, _, ct) =>
            fleet.StatusAsync(ct, result.GetValue(parallel)), cancellationToken));
        return command;
    }

    private static Option<int> Parallelism()
    {
        var option = new Option<int>("--parallel")
        {
            Description = "Databases handled at once",
            DefaultValueFactory = _ => DatabaseFleet.DefaultParallelism,
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 64)
            {
                r.AddError("--parallel must be between 1 and 64.");
            }
        });
        return option;
    }

    private static Task<int> RunAsync(ParseResult result, Option<bool> json, string name, bool dryRun,
        Func<DatabaseFleet, IProgress<DatabaseReport>, CancellationToken, Task<IReadOnlyList<DatabaseReport>>> run, CancellationToken cancellationToken) =>
        CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var asJson = result.GetValue(json);
            var console = JsonOption.Console(asJson);
            var fleet = services.GetRequiredService<DatabaseFleet>();
            var reports = name == "migrate"
                ? await ProgressDisplay.RunAsync<DatabaseReport, IReadOnlyList<DatabaseReport>>(console, dryRun ? "Checking databases" : "Migrating databases", DescribeProgress, progress => run(fleet, progress, ct))
                : await run(fleet, new Progress<DatabaseReport>(), ct);
            var exitCode = reports.Any(r => r.State == DatabaseState.Failed || (r.State == DatabaseState.Behind && (dryRun || name == "status")))
                ? ExitCodes.Error
                : ExitCodes.Success;
            if (asJson)
            {
                var shown = name == "status" ? reports.Where(r => r.NeedsAttention) : reports;
                await CliJson.WriteAsync(result, new DatabaseRunJson(CliJson.SchemaVersion, name, dryRun, exitCode, shown.Select(DatabaseJson.From).ToList()),
                    CliJsonContext.Default.DatabaseRunJson);
            }
            else
            {
                Render(console, name, dryRun, reports);
            }

            return exitCode;
        }, cancellationToken, migrateSessionDb: false);

    private static void Render(IAnsiConsole console, string name, bool dryRun, IReadOnlyList<DatabaseReport> reports)
    {
        var shown = name == "status" ? reports.Where(r => r.NeedsAttention).ToList() : reports.ToList();
        var current = reports.Count(r => r.State is DatabaseState.Current or DatabaseState.Migrated);
        if (shown.Count == 0)
        {
            console.MarkupLine($"All {reports.Count} database(s) are at the latest version.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title(name == "status" ? "[bold]Databases behind or unreadable[/]" : dryRun ? "[bold]Migration (dry run)[/]" : "[bold]Migration[/]");
        table.AddColumn("Database");
        table.AddColumn("School");
        table.AddColumn("Before");
        table.AddColumn("After");
        table.AddColumn("State");
        foreach (var r in shown)
        {
            table.AddRow(Markup.Escape(r.Database.Name), Markup.Escape(r.Database.CleverSchoolId ?? "-"), Markup.Escape(r.VersionBefore ?? "(none)"),
                Markup.Escape(r.State == DatabaseState.Behind ? $"{r.LatestVersion} ({r.Pending.Count} missing)" : r.VersionAfter ?? "(none)"),
                r.State switch
                {
                    DatabaseState.Current => "[green]current[/]",
                    DatabaseState.Migrated => "[green]migrated[/]",
                    DatabaseState.Behind => dryRun ? "[yellow]would migrate[/]" : "[yellow]behind[/]",
                    _ => $"[red]failed[/]: {Markup.Escape(r.Error ?? "")}",
                });
        }

        console.Write(table);
        console.MarkupLine($"{current} of {reports.Count} database(s) at the latest version.");
        if (name == "status")
        {
            console.MarkupLine("'cleversync serve' does not sync these schools (its /health lists them under school-schema) until 'cleversync db migrate' brings them up.");
        }
    }

    /// <summary>One line per database that was not already current, as it finishes (a large fleet takes a while); stderr under --json.</summary>
    private static ProgressNote DescribeProgress(DatabaseReport value) => value.State == DatabaseState.Current
        ? new(null, Markup.Escape($"{value.Database.Name}: current"))
        : new(Markup.Escape($"  {value.Database.Name}: {value.State}{(value.Error is null ? "" : $" ({value.Error})")}"), null);
}
