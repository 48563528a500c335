using System.Diagnostics;
using CleverSyncSOS.Host.Commands;
using CleverSyncSOS.Host.Demo;
using CleverSyncSOS.Host.Hosting;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace CleverSyncSOS.Tests.Cli;

public sealed class DemoTests
{
    [Fact]
    public async Task Demo_leaves_a_session_db_and_one_database_per_school_equal_to_what_Clever_serves_after_the_changes()
    {
        using var folder = new TempDirectory();
        await using var simulator = await CleverSimulator.StartAsync(DemoRunner.SimulatorOptions);

        var (exitCode, output) = await RunDemoAsync(simulator, folder.Path);

        Assert.True(exitCode == 0, output);
        Assert.Contains("Incremental sync", output);
        Assert.Matches(@"students: \d+ added, \d+ updated", output); // the changes said per role, as the sync report counts them
        Assert.True(File.Exists(Path.Combine(folder.Path, "session.db")));
        var district = simulator.Districts[0];
        await using var session = new SessionDbContext(new DbContextOptionsBuilder<SessionDbContext>()
            .UseProvider(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder.Path, "session.db")}").Options);
        var schools = await session.Schools.ToListAsync();
        Assert.Equal(district.Schools.Select(s => s.Id).Order(), schools.Select(s => s.CleverSchoolId).Order());

        using var reader = new CleverHttpReader(simulator.BaseUrl, district.ClientId, district.ClientSecret, district.Id);
        foreach (var school in schools)
        {
            var file = Path.Combine(folder.Path, "schools", school.DatabaseName + ".db");
            Assert.True(File.Exists(file), $"no database file for {school.Name}");
            await using var db = new SchoolDbContext(new DbContextOptionsBuilder<SchoolDbContext>().UseProvider(DatabaseProvider.Sqlite, $"Data Source={file}").Options);
            RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.CleverSchoolId, "student"), await db.Students.ToListAsync(), school.Name);
            RosterAssert.TeachersEqual(await reader.GetSchoolUsersAsync(school.CleverSchoolId, "teacher"), await db.Teachers.ToListAsync(), school.Name);
            Sync.ClassSyncTests.AssertSectionsEqual(simulator.Store.GetSections(school.CleverSchoolId), await db.Sections.ToListAsync(),
                await db.SectionStudents.ToListAsync(), await db.SectionTeachers.ToListAsync());
        }

        // Two runs per school (full, then incremental from events), each with a row per entity type.
        var history = await session.SyncHistory.ToListAsync();
        Assert.Equal(schools.Count * 2 * CleverSyncSOS.Sync.Entities.SyncEntities.All.Count, history.Count);
        Assert.All(history, h => Assert.Equal(SyncStatus.Success, h.Status));
        Assert.Equal(schools.Count * CleverSyncSOS.Sync.Entities.SyncEntities.All.Count, history.Count(h => h.SyncType == SyncType.Incremental));
        Assert.Contains(history, h => h.SyncType == SyncType.Incremental && h.RecordsCreated + h.RecordsUpdated + h.RecordsDeleted > 0);
    }

    [Fact]
    public async Task Demo_run_twice_on_the_same_folder_works_again()
    {
        using var folder = new TempDirectory();
        for (var run = 0; run < 2; run++)
        {
            await using var simulator = await CleverSimulator.StartAsync(DemoRunner.SimulatorOptions);
            var (exitCode, output) = await RunDemoAsync(simulator, folder.Path);
            Assert.True(exitCode == 0, $"run {run + 1}: {output}");
        }
    }

    [Fact]
    public async Task Cleversync_demo_command_exits_zero_and_prints_the_per_school_table()
    {
        using var folder = new TempDirectory();
        var dll = typeof(CleverSyncCommandLine).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", ["exec", dll, "demo", "--data-dir", folder.Path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("Full sync", output);
        Assert.Contains("Incremental", output);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(folder.Path, "schools"), "*.db").Length);
    }

    private static async Task<(int ExitCode, string Output)> RunDemoAsync(CleverSimulator simulator, string dataDir)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No });
        var exitCode = await CommandHost.RunAsync(new CommonSettings(dataDir, Verbose: false),
            (services, ct) => new DemoRunner(services, console).RunAsync(simulator, ct), CancellationToken.None, DemoCommand.PointAt(simulator));
        return (exitCode, writer.ToString());
    }
}
