using System.CommandLine;
using System.Globalization;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Runs;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>pause add|list|remove</c>: a district's pause windows, in which <c>serve</c> skips its scheduled syncs.</summary>
public static class PauseCommand
{
    public static Command Create()
    {
        var district = new Option<string>("--district") { Description = "Clever district id", Required = true };
        var from = new Option<string>("--from") { Description = "Start, ISO 8601 with an offset (e.g. 2027-06-15T00:00:00Z)", Required = true };
        var until = new Option<string>("--until") { Description = "End, ISO 8601 with an offset; the first sync after it is full", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (shown in run history and health)" };
        var add = new Command("add", "Pause a district's scheduled syncs for a period") { district, from, until, reason };
        add.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            Persistence.Session.DistrictPauseWindow window;
            try
            {
                window = await services.GetRequiredService<PauseWindows>().AddAsync(result.GetValue(district)!,
                    ParseInstant(result.GetValue(from)!, "--from"), ParseInstant(result.GetValue(until)!, "--until"), result.GetValue(reason), ct);
            }
            catch (KeyNotFoundException ex)
            {
                throw new ArgumentException(ex.Message, ex);
            }

            AnsiConsole.MarkupLine($"Pause window {window.Id}: district {Markup.Escape(window.CleverDistrictId)} from {window.StartsAt:u} until {window.EndsAt:u}.");
            return ExitCodes.Success;
        }, cancellationToken));

        var listDistrict = new Option<string?>("--district") { Description = "Only this district" };
        var list = new Command("list", "List pause windows") { listDistrict };
        list.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var windows = await services.GetRequiredService<PauseWindows>().ListAsync(result.GetValue(listDistrict), ct);
            var table = new Table().AddColumns("Id", "District", "From (UTC)", "Until (UTC)", "Reason");
            foreach (var w in windows)
            {
                table.AddRow(w.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(w.CleverDistrictId), $"{w.StartsAt:u}", $"{w.EndsAt:u}", Markup.Escape(w.Reason ?? ""));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }, cancellationToken));

        var id = new Option<int>("--id") { Description = "Pause window id (from 'pause list')", Required = true };
        var remove = new Command("remove", "Remove a pause window") { id };
        remove.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            if (!await services.GetRequiredService<PauseWindows>().RemoveAsync(result.GetValue(id), null, ct))
            {
                throw new ArgumentException($"No pause window {result.GetValue(id)}; 'cleversync pause list' lists them.");
            }

            AnsiConsole.MarkupLine($"Pause window {result.GetValue(id)} removed.");
            return ExitCodes.Success;
        }, cancellationToken));

        return new Command("pause", "Pause windows: periods in which a district's scheduled syncs are skipped") { add, list, remove };
    }

    private static DateTime ParseInstant(string value, string option) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) && HasOffset(value)
            ? instant.UtcDateTime
            : throw new ArgumentException($"{option} '{value}' is not a date and time with an offset (e.g. 2027-06-15T00:00:00Z).");

    private static bool HasOffset(string value) => value.EndsWith('Z') || value.EndsWith('z') || value.LastIndexOfAny(['+', '-']) > value.IndexOf('T', StringComparison.Ordinal) && value.Contains('T', StringComparison.Ordinal);
}
