using System.CommandLine;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Host.Output;
using CleverSyncSOS.Sync.Undo;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>undo --run N</c>: take a run back from the school's change log; the school then gets a full sync.</summary>
public static class UndoCommand
{
    public static Command Create()
    {
        var run = new Option<int>("--run") { Description = "The run to take back (any of its SyncHistory ids, as 'cleversync changes' shows)", Required = true };
        var force = new Option<bool>("--force") { Description = "Undo even when later runs changed the same records (their changes are overwritten)" };
        var command = new Command("undo", "Restore a school's tables to what they were before a run, from its change log, in one transaction") { run, force };
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var undone = await scope.ServiceProvider.GetRequiredService<RunUndo>().UndoAsync(result.GetValue(run), result.GetValue(force), ct);
            SyncReport.Render(AnsiConsole.Console, $"Undo of run {result.GetValue(run)}", [undone]);
            if (undone.Error is null)
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(undone.SchoolName)} is flagged for a full sync, so the next sync brings it back in step with Clever.");
            }

            return SyncReport.ExitCode([undone]);
        }, cancellationToken));
        return command;
    }
}
