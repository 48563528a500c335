using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Schools;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Cli;

/// <summary>A copy of a data folder works on its own files (issue 8, defect 2).</summary>
public sealed class CopiedDataFolderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sync_on_a_copied_data_folder_changes_the_copy_and_leaves_the_original_untouched(bool absolutePathsFromAnOlderVersion)
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 40, teachers: 4, schools: 2));
        await env.OnboardAsync();
        await env.SyncAsync();
        var schools = await SchoolsAsync(env.DataDir);
        var secrets = env.Services.GetRequiredService<ISecretStore>();
        foreach (var school in schools)
        {
            var stored = await secrets.GetSecretAsync(school.KeyVaultConnectionStringSecretName!, CancellationToken.None);
            Assert.Equal($"Data Source=schools/{school.DatabaseName}.db", stored);
            if (absolutePathsFromAnOlderVersion)
            {
                // What earlier versions stored: the absolute path of the original folder.
                await secrets.SetSecretAsync(school.KeyVaultConnectionStringSecretName!,
                    $"Data Source={Path.Combine(env.DataDir, "schools", school.DatabaseName + ".db")};Pooling=True", CancellationToken.None);
            }
        }

        await env.Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        using var copy = new TempDirectory();
        CopyFolder(env.DataDir, copy.Path);
        var originalBefore = await RostersAsync(env.DataDir, schools);
        var originalHistory = await HistoryCountAsync(env.DataDir);
        foreach (var school in env.District.Schools)
        {
            env.Simulator.Store.ApplyRandomChanges(school.Id, adds: 4, edits: 5, removes: 3, seed: 11);
        }

        var result = await CliProcess.RunAsync(CliProcess.PointedAt(env.Simulator.TokenEndpoint, env.Simulator.ApiBaseUrl), null,
            "sync", "--full", "--data-dir", copy.Path);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(originalBefore, await RostersAsync(env.DataDir, schools));
        Assert.Equal(originalHistory, await HistoryCountAsync(env.DataDir));
        using var reader = env.Reader();
        foreach (var school in schools)
        {
            await using var db = Open(copy.Path, school);
            RosterAssert.StudentsEqual(await reader.GetSchoolUsersAsync(school.CleverSchoolId, "student"), await db.Students.ToListAsync(), school.Name);
        }
    }

    private static async Task<List<School>> SchoolsAsync(string dataDir)
    {
        await using var db = new SessionDbContext(new DbContextOptionsBuilder<SessionDbContext>()
            .UseProvider(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dataDir, "session.db")}").Options);
        return await db.Schools.AsNoTracking().ToListAsync();
    }

    private static async Task<int> HistoryCountAsync(string dataDir)
    {
        await using var db = new SessionDbContext(new DbContextOptionsBuilder<SessionDbContext>()
            .UseProvider(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dataDir, "session.db")}").Options);
        return await db.SyncHistory.CountAsync();
    }

    private static SchoolDbContext Open(string dataDir, School school) => new(new DbContextOptionsBuilder<SchoolDbContext>()
        .UseProvider(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dataDir, "schools", school.DatabaseName + ".db")}").Options);

    private static async Task<string> RostersAsync(string dataDir, IEnumerable<School> schools)
    {
        var lines = new List<string>();
        foreach (var school in schools)
        {
            await using var db = Open(dataDir, school);
            lines.AddRange((await db.Students.AsNoTracking().ToListAsync()).Select(s => $"{school.CleverSchoolId} {s.CleverStudentId} {s.FirstName} {s.LastName} {s.Email} {s.Grade} {s.IsActive}").Order());
        }

        SqliteConnection.ClearAllPools();
        return string.Join("\n", lines);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to), overwrite: true);
        }
    }
}
