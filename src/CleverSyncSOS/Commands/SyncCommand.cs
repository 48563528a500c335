using System.CommandLine;
using CleverSyncSOS.Host.Output;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Sync;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>sync</c>: every active school, or one; incremental unless a full sync is due or asked for.</summary>
public static class SyncCommand
{
    public static Command Create()
    {
        var school = new Option<string?>("--school") { Description = "Only this school (SchoolId or Clever school id)" };
        var full = new Option<bool>("--full") { Description = "Full sync: re-read everything and remove what Clever no longer has" };
        var allowMassDelete = new Option<bool>("--allow-mass-delete") { Description = "Let a full sync delete more than the mass-deletion threshold" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read Clever and show what the sync would create, update and delete, writing nothing anywhere" };
        var json = JsonOption.Create();
        var command = new Command("sync", "Sync students, teachers, sections and enrollments from Clever into each school's database. Exit code: 0 success, 2 partial, 1 failed")
        {
            school, full, allowMassDelete, dryRun, json,
        };
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var request = new SyncRequest(result.GetValue(school), result.GetValue(full), result.GetValue(allowMassDelete), result.GetValue(dryRun));
            var asJson = result.GetValue(json);
            var orchestrator = services.GetRequiredService<SyncOrchestrator>();
            var results = await ProgressDisplay.RunAsync<SyncProgress, IReadOnlyList<SchoolSyncResult>>(JsonOption.Console(asJson), request.DryRun ? "Dry run" : "Syncing", SyncProgressText.Describe,
                progress => orchestrator.RunAsync(request, progress, ct));
            if (asJson)
            {
                await CliJson.WriteAsync(result, new SyncRunJson(CliJson.SchemaVersion, SyncReport.ExitCode(results), results.Select(SyncSchoolJson.From).ToList()),
                    CliJsonContext.Default.SyncRunJson);
                return SyncReport.ExitCode(results);
            }

            if (results.Count == 0)
            {
                AnsiConsole.MarkupLine("No active school is onboarded; add one with 'cleversync school add'.");
                return ExitCodes.Success;
            }

            if (request.DryRun)
            {
                DryRunReport.Render(AnsiConsole.Console, results);
                return results.Any(r => r.Error is not null) ? ExitCodes.Error : ExitCodes.Success;
            }

            SyncReport.Render(AnsiConsole.Console, request.ForceFull ? "Full sync" : "Sync", results);
            return SyncReport.ExitCode(results);
        }, cancellationToken));
        return command;
    }
}
