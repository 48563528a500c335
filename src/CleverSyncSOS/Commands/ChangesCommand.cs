using System.CommandLine;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Sync.Changes;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>changes</c>: what syncs did to a school's records, from the change log in the school's own database.</summary>
public static class ChangesCommand
{
    public static Command Create()
    {
        var school = new Option<string>("--school") { Description = "The school (SchoolId or Clever school id)", Required = true };
        var run = new Option<int?>("--run") { Description = "Only this run (any of its SyncHistory ids)" };
        var cleverId = new Option<string?>("--clever-id") { Description = "Only this record (a student's id also finds their enrollments)" };
        var limit = new Option<int>("--limit") { Description = "At most this many changes, the latest", DefaultValueFactory = _ => 200 };
        var command = new Command("changes", "Show what syncs created, changed (old → new) and deleted in a school's database") { school, run, cleverId, limit };
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            var query = new ChangeQuery(result.GetValue(school)!, result.GetValue(run), result.GetValue(cleverId), result.GetValue(limit));
            var (found, entries) = await services.GetRequiredService<ChangeLogReader>().ReadAsync(query, ct);
            if (entries.Count == 0)
            {
                AnsiConsole.MarkupLine($"No changes recorded for {Markup.Escape(found.Name)} with these filters.");
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Changes at {Markup.Escape(found.Name)}[/]");
            table.AddColumn("Run");
            table.AddColumn("When (UTC)");
            table.AddColumn("Entity");
            table.AddColumn("Clever id");
            table.AddColumn("Change");
            table.AddColumn("Fields");
            foreach (var entry in entries)
            {
                table.AddRow(entry.SyncId.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{entry.ChangedAt:yyyy-MM-dd HH:mm:ss}",
                    entry.EntityType, Markup.Escape(entry.CleverId), entry.Action, Markup.Escape(Fields(entry.OldValues, entry.NewValues)));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>"Name: Ada → Augusta" per changed field; all values for a creation or deletion.</summary>
    private static string Fields(string? oldJson, string? newJson)
    {
        var old = Parse(oldJson);
        var @new = Parse(newJson);
        return string.Join("; ", old.Keys.Union(@new.Keys).Select(k =>
            old.ContainsKey(k) && @new.ContainsKey(k) ? $"{k}: {old[k]} → {@new[k]}" : $"{k}: {(old.TryGetValue(k, out var o) ? o : @new[k])}"));
    }

    private static Dictionary<string, string> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Null ? "(none)" : p.Value.ToString());
    }
}
