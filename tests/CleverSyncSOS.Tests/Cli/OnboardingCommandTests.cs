using CleverSyncSOS.Credentials;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Tests.Infrastructure;
using CleverSyncSOS.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace CleverSyncSOS.Tests.Cli;

/// <summary><c>district add</c>, <c>secrets set</c> and <c>school add</c> through the real executable (issue 8, defects 8 and 9).</summary>
public sealed class OnboardingCommandTests
{
    [Fact]
    public async Task School_add_all_adds_every_valid_school_and_reports_the_one_it_refused()
    {
        var tooLong = new string('c', 500);
        await using var clever = await CraftedClever.StartAsync(
            ("s1", "One", 2), ("s2", "Two", 2), (tooLong, "Too long", 2), ("s4", "Four", 2), ("s5", "Five", 2));
        using var folder = new TempDirectory();
        var env = CliProcess.PointedAt(clever.TokenEndpoint, clever.ApiBaseUrl);
        await OnboardCraftedDistrictAsync(env, folder.Path);

        var added = await CliProcess.RunAsync(env, null, "school", "add", "--district", CraftedClever.DistrictId, "--all", "--data-dir", folder.Path);

        Assert.True(added.ExitCode == 2, added.Output);
        Assert.Contains("is 500 characters; at most 50 are allowed", added.Stdout);
        Assert.Contains("4 of 5 schools added; 1 refused", added.Stdout);
        Assert.Equal(["s1", "s2", "s4", "s5"], (await SchoolsAsync(folder.Path)).Select(s => s.CleverSchoolId).Order());
        Assert.DoesNotContain("   at ", added.Output);
    }

    [Fact]
    public async Task Ids_and_names_with_markup_characters_are_printed_as_they_are_and_status_shows_them()
    {
        await using var clever = await CraftedClever.StartAsync(("s[x", "School [x]", 2));
        using var folder = new TempDirectory();
        var env = CliProcess.PointedAt(clever.TokenEndpoint, clever.ApiBaseUrl);

        var district = await CliProcess.RunAsync(env, null, "district", "add", "--id", "d[x", "--name", "District [red]x", "--data-dir", folder.Path);
        var school = await CliProcess.RunAsync(env, null, "school", "add", "--district", "d[x", "--id", "s[x", "--name", "School [x]", "--data-dir", folder.Path);
        var status = await CliProcess.RunAsync(env, null, "status", "--data-dir", folder.Path);

        Assert.True(district.ExitCode == 0, district.Output);
        Assert.Contains("District [red]x (d[x) is onboarded", district.Stdout);
        Assert.True(school.ExitCode == 0, school.Output);
        Assert.Contains("School [x] (s[x) is onboarded", school.Stdout);
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains("District [red]x (d[x)", status.Stdout);
        Assert.Contains("School [x]", status.Stdout);
    }

    [Fact]
    public async Task A_refused_id_is_named_in_a_usage_error_and_nothing_is_saved()
    {
        using var folder = new TempDirectory();

        var district = await CliProcess.RunAsync(null, null, "district", "add", "--id", "d\u0001x", "--name", "Control", "--data-dir", folder.Path);
        var dots = await CliProcess.RunAsync(null, null, "district", "add", "--id", "..", "--name", "Dots", "--data-dir", folder.Path);

        Assert.True(district.ExitCode == 3, district.Output);
        Assert.Contains("The Clever district id 'd\\u0001x' contains the invisible or control character U+0001", district.Stderr);
        Assert.True(dots.ExitCode == 3, dots.Output);
        Assert.DoesNotContain("   at ", district.Output + dots.Output);
        await using var db = Session(folder.Path);
        Assert.Empty(await db.Districts.ToListAsync());
    }

    private static async Task OnboardCraftedDistrictAsync(Dictionary<string, string?> env, string dataDir)
    {
        var prefix = SecretNames.DefaultDistrictPrefix(CraftedClever.DistrictId);
        foreach (var run in new[]
                 {
                     await CliProcess.RunAsync(env, null, "district", "add", "--id", CraftedClever.DistrictId, "--name", "Crafted USD", "--data-dir", dataDir),
                     await CliProcess.RunAsync(env, CraftedClever.ClientId, "secrets", "set", SecretNames.DistrictClientId(prefix), "--data-dir", dataDir),
                     await CliProcess.RunAsync(env, CraftedClever.ClientSecret, "secrets", "set", SecretNames.DistrictClientSecret(prefix), "--data-dir", dataDir),
                 })
        {
            Assert.True(run.ExitCode == 0, run.Output);
        }
    }

    private static SessionDbContext Session(string dataDir) => new(new DbContextOptionsBuilder<SessionDbContext>()
        .UseProvider(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dataDir, "session.db")};Pooling=False").Options);

    private static async Task<List<School>> SchoolsAsync(string dataDir)
    {
        await using var db = Session(dataDir);
        return await db.Schools.AsNoTracking().ToListAsync();
    }
}
