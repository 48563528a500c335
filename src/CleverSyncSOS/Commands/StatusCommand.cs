using System.CommandLine;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary><c>status</c>: every onboarded school with its last sync per entity type.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "Show the onboarded districts and schools and the last sync of each");
        command.SetAction((result, cancellationToken) => CommandHost.RunAsync(CommonOptions.Read(result), async (services, ct) =>
        {
            await using var db = await services.GetRequiredService<SessionDatabase>().CreateDbContextAsync(ct);
            var districts = await db.Districts.AsNoTracking().OrderBy(d => d.Name).ToListAsync(ct);
            var schools = await db.Schools.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
            var latest = (await db.SyncHistory.AsNoTracking().ToListAsync(ct))
                .GroupBy(h => (h.SchoolId, h.EntityType))
                .ToDictionary(g => g.Key, g => g.OrderByDescending(h => h.SyncStartTime).First());

            var table = new Table().Border(TableBorder.Rounded);
            foreach (var column in new[] { "District", "School", "Active", "Full sync due", "Entity", "Last sync", "Type", "Status", "Records", "Failed", "Message" })
            {
                table.AddColumn(column);
            }

            foreach (var district in districts)
            {
                foreach (var school in schools.Where(s => s.DistrictId == district.CleverDistrictId))
                {
                    foreach (var entity in new[] { SyncEntityType.Student, SyncEntityType.Teacher })
                    {
                        var row = latest.GetValueOrDefault((school.SchoolId, entity));
                        table.AddRow(Markup.Escape(district.Name), Markup.Escape(school.Name), school.IsActive ? "yes" : "no",
                            school.RequiresFullSync ? "yes" : "no", entity,
                            row?.SyncStartTime.ToString("u") ?? "never", row?.SyncType.ToString() ?? "", row?.Status ?? "",
                            row?.RecordsProcessed.ToString("N0") ?? "", row?.RecordsFailed.ToString("N0") ?? "", Markup.Escape(row?.ErrorMessage ?? ""));
                    }
                }
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
