using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CleverSyncSOS.Tests.Cli;

/// <summary>Console log lines carry the district, school and run they belong to (issue 8, defect 12).</summary>
public sealed class LogScopeTests
{
    [Fact]
    public async Task Sync_log_lines_on_the_console_name_the_district_school_and_run()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 10, teachers: 2, schools: 1));
        await env.OnboardAsync();
        await env.Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        var school = env.District.Schools[0];

        var result = await CliProcess.RunAsync(CliProcess.PointedAt(env.Simulator.TokenEndpoint, env.Simulator.ApiBaseUrl), null,
            "sync", "--verbose", "--data-dir", env.DataDir);

        Assert.True(result.ExitCode == 0, result.Output);
        var starting = result.Stderr.Split('\n').Single(l => l.Contains($"Starting Full sync of {school.Name}"));
        Assert.Contains($"district={env.District.Id} school={school.Id}", starting);
        Assert.Matches(@"run=\d+,\d+", starting);
        Assert.DoesNotContain("System.Collections.Generic", result.Stderr);
    }
}
