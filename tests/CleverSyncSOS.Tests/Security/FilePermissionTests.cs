using CleverSyncSOS.Credentials;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Security;

/// <summary>Rosters and secrets are readable by their owner only (issue 8, defect 11).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilePermissionTests
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;
    private const UnixFileMode Open = OwnerFile | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    [Fact]
    public async Task Secrets_session_db_and_school_databases_are_created_0600_in_a_0700_folder()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 20, teachers: 2, schools: 2));
        await env.OnboardAsync();
        await env.SyncAsync();

        Assert.Equal(OwnerFolder, File.GetUnixFileMode(env.DataDir));
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(Path.Combine(env.DataDir, "schools")));
        var files = Directory.GetFiles(env.DataDir, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("secrets.json"));
        Assert.Contains(files, f => f.EndsWith("session.db-wal"));
        Assert.Equal(2, files.Count(f => f.Contains("/schools/") && f.EndsWith(".db")));
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == OwnerFile, $"{f}: {File.GetUnixFileMode(f)}"));
    }

    [Fact]
    public async Task A_secrets_file_others_can_read_is_set_to_0600_with_a_warning_and_still_used()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 5, teachers: 1, schools: 1));
        var store = env.Services.GetRequiredService<ISecretStore>();
        await store.SetSecretAsync("Some-Secret", "value-1", CancellationToken.None);
        var file = Path.Combine(env.DataDir, "secrets.json");
        File.SetUnixFileMode(file, Open);

        var value = await store.GetSecretAsync("Some-Secret", CancellationToken.None);

        Assert.Equal("value-1", value);
        Assert.Equal(OwnerFile, File.GetUnixFileMode(file));
        Assert.Contains(env.Logs.Lines, l => l.StartsWith("Warning") && l.Contains(file) && l.Contains("0666") && l.Contains("0600"));
        Assert.DoesNotContain(env.Logs.Lines, l => l.Contains("value-1"));
    }

    [Fact]
    public async Task School_databases_an_earlier_version_left_readable_are_set_to_0600_at_the_next_sync()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 5, teachers: 1, schools: 1));
        await env.OnboardAsync();
        SqliteConnection.ClearAllPools();
        var school = await env.SchoolAsync(env.District.Schools[0].Id);
        var file = Path.Combine(env.DataDir, "schools", school.DatabaseName + ".db");
        File.SetUnixFileMode(file, Open);

        var result = Assert.Single(await env.SyncAsync(new SyncRequest(ForceFull: true)));

        Assert.Equal("Success", result.Status);
        Assert.Equal(OwnerFile, File.GetUnixFileMode(file));
        Assert.Contains(env.Logs.Lines, l => l.StartsWith("Warning") && l.Contains(file));
    }
}
