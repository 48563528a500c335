namespace CleverSyncSOS.Tests.Fleet;

/// <summary>Progress of a long run as a script or a log file sees it: output redirected, so plain lines.</summary>
public sealed class LongRunProgressTests : SimulatedDistrictFolder
{
    private const char Escape = '\u001b';

    [Fact]
    public async Task Redirected_sync_prints_one_plain_line_per_event_and_with_json_keeps_them_on_stderr()
    {
        var onboarded = await CleverSyncCli.RunAsync(Settings, CredentialsOnStdin,
            "district", "add", "--id", District.Id, "--name", District.Name, "--schools", "all", "--json");
        Assert.True(onboarded.ExitCode == 0, onboarded.ToString());

        var plain = await CleverSyncCli.RunAsync(Settings, null, "sync");

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.DoesNotContain(Escape, plain.Stdout);
        var lines = plain.Stdout.Split('\n');
        foreach (var school in District.Schools)
        {
            Assert.Contains(lines, l => l.Trim() == $"✓ {school.Name}");
            Assert.Contains(lines, l => l.Contains($"{school.Name}: read ", StringComparison.Ordinal) && l.EndsWith("records from Clever", StringComparison.Ordinal));
        }

        var json = await CleverSyncCli.RunAsync(Settings, null, "sync", "--json");

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(District.Schools.Count, json.Json().GetProperty("schools").GetArrayLength());
        Assert.DoesNotContain("✓", json.Stdout);
        Assert.DoesNotContain(Escape, json.Stderr);
        Assert.All(District.Schools, school => Assert.Contains($"✓ {school.Name}", json.Stderr));
    }

    [Fact]
    public async Task Redirected_db_migrate_prints_plain_text_and_with_json_stdout_is_one_document()
    {
        var onboarded = await CleverSyncCli.RunAsync(Settings, CredentialsOnStdin,
            "district", "add", "--id", District.Id, "--name", District.Name, "--schools", "all", "--json");
        Assert.True(onboarded.ExitCode == 0, onboarded.ToString());

        var plain = await CleverSyncCli.RunAsync(Settings, null, "db", "migrate");
        var json = await CleverSyncCli.RunAsync(Settings, null, "db", "migrate", "--json");

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.DoesNotContain(Escape, plain.Stdout);
        Assert.Contains($"{1 + District.Schools.Count} of {1 + District.Schools.Count} database(s) at the latest version.", plain.Stdout);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(1 + District.Schools.Count, json.Json().GetProperty("databases").GetArrayLength());
        Assert.DoesNotContain(Escape, json.Stderr);
    }
}
