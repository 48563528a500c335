using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Tests.Fleet;

public sealed class OnboardingInOneCommandTests : SimulatedDistrictFolder
{
    [Fact]
    public async Task District_add_with_credentials_on_stdin_onboards_every_school_and_check_is_all_green()
    {
        var added = await CleverSyncCli.RunAsync(Settings, CredentialsOnStdin,
            "district", "add", "--id", District.Id, "--name", District.Name, "--schools", "all", "--json");

        Assert.True(added.ExitCode == 0, added.ToString());
        var enrolled = added.Json();
        Assert.True(enrolled.GetProperty("passed").GetBoolean());
        Assert.Equal(District.Schools.Select(s => s.Id).Order(),
            enrolled.GetProperty("schools").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Order());
        Assert.DoesNotContain(District.ClientSecret, added.Stdout + added.Stderr);

        var check = await CleverSyncCli.RunAsync(Settings, null, "check", "--json");
        Assert.True(check.ExitCode == 0, check.ToString());
        var items = check.Json().GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, i => Assert.True(i.GetProperty("passed").GetBoolean(), i.GetProperty("detail").GetString()));
        Assert.Contains(items, i => i.GetProperty("check").GetString() == "Token acquisition");
        Assert.Equal(3, items.Count(i => i.GetProperty("check").GetString() == "School database"));
    }

    [Fact]
    public async Task District_add_with_wrong_credentials_leaves_nothing_behind()
    {
        var rejected = await CleverSyncCli.RunAsync(Settings, $"{District.ClientId}\nnot-the-secret\n",
            "district", "add", "--id", District.Id, "--name", District.Name, "--schools", "all");

        Assert.Equal(1, rejected.ExitCode);
        Assert.Contains("Nothing was saved", rejected.Stderr);
        Assert.Empty(rejected.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(DataDir));
    }

    [Fact]
    public async Task District_add_with_wrong_credentials_on_a_running_fleet_adds_no_district_school_or_secret()
    {
        var first = await CleverSyncCli.RunAsync(Settings, CredentialsOnStdin,
            "district", "add", "--id", District.Id, "--name", District.Name, "--schools", "none");
        Assert.True(first.ExitCode == 0, first.ToString());
        var secretsBefore = await File.ReadAllTextAsync(Path.Combine(DataDir, "secrets.json"));

        var settings = Settings;
        settings["ONBOARD_ID"] = District.ClientId;
        settings["ONBOARD_SECRET"] = "wrong";
        var rejected = await CleverSyncCli.RunAsync(settings, null, "district", "add", "--id", "other-district", "--name", "Other",
            "--schools", "all", "--client-id-env", "ONBOARD_ID", "--client-secret-env", "ONBOARD_SECRET");

        Assert.Equal(1, rejected.ExitCode);
        Assert.Equal(secretsBefore, await File.ReadAllTextAsync(Path.Combine(DataDir, "secrets.json")));
        await using var session = new SessionDbContext(new DbContextOptionsBuilder<SessionDbContext>()
            .UseProvider(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(DataDir, "session.db")}").Options);
        Assert.Equal([District.Id], await session.Districts.Select(d => d.CleverDistrictId).ToListAsync());
        Assert.Empty(await session.Schools.ToListAsync());
    }

    [Fact]
    public async Task District_add_without_credentials_on_stdin_saves_nothing_and_exits_3()
    {
        var missing = await CleverSyncCli.RunAsync(Settings, "", "district", "add", "--id", District.Id, "--name", District.Name, "--schools", "all");

        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("client id", missing.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(DataDir));
    }
}
