using System.Text.Json;
using CleverSyncSOS.Persistence;

namespace CleverSyncSOS.Tests.Fleet;

public sealed class FleetLifecycleCliTests : SimulatedDistrictFolder
{
    [Fact]
    public async Task Onboard_list_secrets_deactivate_flag_for_full_sync_migrate_and_sync_each_read_back_as_json()
    {
        var onboarded = await Run(CredentialsOnStdin,
            "district", "add", "--id", District.Id, "--name", District.Name, "--schools", "all", "--json");
        Assert.True(onboarded.GetProperty("passed").GetBoolean());
        var schools = await Schools();
        Assert.Equal(3, schools.Count);
        Assert.All(schools, s => Assert.True(s.GetProperty("active").GetBoolean()));

        // secrets list: every name and where it lives, never a value.
        var listed = await CleverSyncCli.RunAsync(Settings, null, "secrets", "list", "--json");
        var text = await CleverSyncCli.RunAsync(Settings, null, "secrets", "list");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        var secrets = listed.Json().GetProperty("secrets").EnumerateArray().ToList();
        Assert.Equal(2 + 2 + 3, secrets.Count);
        Assert.Equal(5, secrets.Count(s => s.GetProperty("present").GetBoolean()));
        Assert.Contains("secrets.json", listed.Json().GetProperty("store").GetString());
        foreach (var output in new[] { listed.Stdout + listed.Stderr, text.Stdout + text.Stderr })
        {
            Assert.DoesNotContain(District.ClientSecret, output);
            Assert.DoesNotContain(District.ClientId, output);
            Assert.DoesNotContain("Data Source", output);
        }

        var leaving = District.Schools[1].Id;
        var deactivated = await Run(null, "school", "deactivate", "--id", leaving, "--json");
        Assert.Equal(1, deactivated.GetProperty("count").GetInt32());
        var inactive = await Schools("--state", "inactive");
        Assert.Equal([leaving], inactive.Select(s => s.GetProperty("id").GetString()));
        var district = (await Run(null, "district", "list", "--json")).GetProperty("districts")[0];
        Assert.Equal(3, district.GetProperty("schools").GetInt32());
        Assert.Equal(2, district.GetProperty("activeSchools").GetInt32());

        var refused = await CleverSyncCli.RunAsync(Settings, null, "school", "require-full-sync", "--district", District.Id);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("3 school(s)", refused.Stderr);
        var flagged = await Run(null, "school", "require-full-sync", "--district", District.Id, "--yes", "--json");
        Assert.Equal(3, flagged.GetProperty("count").GetInt32());
        schools = await Schools();
        Assert.All(schools, s => Assert.True(s.GetProperty("requiresFullSync").GetBoolean()));
        Assert.False(schools.Single(s => s.GetProperty("id").GetString() == leaving).GetProperty("active").GetBoolean());

        var migrated = await Run(null, "db", "migrate", "--json");
        var databases = migrated.GetProperty("databases").EnumerateArray().ToList();
        Assert.Equal(4, databases.Count);
        Assert.Single(databases, d => d.GetProperty("kind").GetString() == "Session");
        Assert.All(databases, d =>
        {
            Assert.Equal("Current", d.GetProperty("state").GetString());
            Assert.Equal(d.GetProperty("latestVersion").GetString(), d.GetProperty("versionAfter").GetString());
        });
        var status = await Run(null, "db", "status", "--json");
        Assert.Equal(0, status.GetProperty("databases").GetArrayLength());

        // The deactivated school kept its database and history: the sync skips it, status still shows it.
        var synced = await Run(null, "sync", "--json");
        Assert.Equal(0, synced.GetProperty("exitCode").GetInt32());
        var syncedSchools = synced.GetProperty("schools").EnumerateArray().ToList();
        Assert.Equal(2, syncedSchools.Count);
        Assert.All(syncedSchools, s => Assert.Equal("Full", s.GetProperty("syncType").GetString()));
        Assert.DoesNotContain(syncedSchools, s => s.GetProperty("id").GetString() == leaving);
        var statusSchools = (await Run(null, "status", "--json")).GetProperty("districts")[0].GetProperty("schools").EnumerateArray().ToList();
        Assert.Equal(3, statusSchools.Count);
        Assert.Equal(0, statusSchools.Single(s => s.GetProperty("id").GetString() == leaving).GetProperty("lastSyncs").GetArrayLength());
        // The full syncs cleared their schools' flags; the deactivated school keeps its own for when it comes back.
        Assert.Equal([leaving], (await Schools("--state", "full-sync-due")).Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Unknown_school_or_district_is_an_error_naming_it_and_changes_nothing()
    {
        var school = await CleverSyncCli.RunAsync(Settings, null, "school", "deactivate", "--id", "no-such-school");
        var district = await CleverSyncCli.RunAsync(Settings, null, "district", "activate", "--id", "no-such-district");

        Assert.Equal(1, school.ExitCode);
        Assert.Contains("no-such-school", school.Stderr);
        Assert.Equal(1, district.ExitCode);
        Assert.Contains("no-such-district", district.Stderr);
    }

    [Fact]
    public async Task District_add_of_a_deactivated_district_is_refused_pointing_to_district_activate_and_changes_nothing()
    {
        await Run(CredentialsOnStdin, "district", "add", "--id", District.Id, "--name", District.Name, "--schools", "all", "--json");
        await Run(null, "district", "deactivate", "--id", District.Id, "--json");

        var plain = await CleverSyncCli.RunAsync(Settings, null, "district", "add", "--id", District.Id, "--name", "Renamed");
        var enrolled = await CleverSyncCli.RunAsync(Settings, CredentialsOnStdin, "district", "add", "--id", District.Id, "--name", "Renamed", "--schools", "all");

        foreach (var refused in new[] { plain, enrolled })
        {
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains("deactivated", refused.Stderr);
            Assert.Contains($"cleversync district activate --id {District.Id}", refused.Stderr);
        }

        var district = (await Run(null, "district", "list", "--json")).GetProperty("districts")[0];
        Assert.False(district.GetProperty("active").GetBoolean());
        Assert.Equal(District.Name, district.GetProperty("name").GetString());

        await Run(null, "district", "activate", "--id", District.Id, "--json");
        var readded = await CleverSyncCli.RunAsync(Settings, null, "district", "add", "--id", District.Id, "--name", "Renamed");
        Assert.True(readded.ExitCode == 0, readded.ToString());
        Assert.Equal("Renamed", (await Run(null, "district", "list", "--json")).GetProperty("districts")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_table_written_to_a_pipe_keeps_each_school_on_one_line_unless_COLUMNS_says_otherwise()
    {
        await Run(CredentialsOnStdin, "district", "add", "--id", District.Id, "--name", District.Name, "--schools", "all", "--json");
        var piped = new Dictionary<string, string?>(Settings) { ["COLUMNS"] = "" };
        var narrow = new Dictionary<string, string?>(Settings) { ["COLUMNS"] = "80" };

        var wide = await CleverSyncCli.RunAsync(piped, null, "school", "list");
        var wrapped = await CleverSyncCli.RunAsync(narrow, null, "school", "list");
        var wider = await CleverSyncCli.RunAsync(new Dictionary<string, string?>(Settings) { ["COLUMNS"] = "240" }, null, "school", "list");

        Assert.True(wide.ExitCode == 0, wide.ToString());
        var lines = wide.Stdout.Split('\n');
        Assert.All(District.Schools, school => Assert.Contains(lines, l => l.Contains(school.Id) && l.Contains(school.Name)));
        Assert.All(District.Schools, school => Assert.Contains(wider.Stdout.Split('\n'), l => l.Contains(school.Id) && l.Contains(school.Name)));
        Assert.DoesNotContain(District.Schools, school => wrapped.Stdout.Split('\n').Any(l => l.Contains(school.Id) && l.Contains(school.Name)));
    }

    private async Task<JsonElement> Run(string? stdin, params string[] args)
    {
        var result = await CleverSyncCli.RunAsync(Settings, stdin, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Json();
    }

    private async Task<List<JsonElement>> Schools(params string[] filter) =>
        (await Run(null, ["school", "list", "--json", .. filter])).GetProperty("schools").EnumerateArray().ToList();
}
