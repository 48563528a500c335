using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Simulator;
using CleverSyncSOS.Tests.Fleet;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Sync;

/// <summary>What a district's token carries decides what is synced: its own district's token, and the scopes it was granted.</summary>
public sealed class TokenScopeTests
{
    [Fact]
    public async Task A_token_without_read_sections_syncs_students_and_teachers_skips_classes_with_a_warning_and_deletes_no_section()
    {
        var options = SyncTestEnvironment.SmallDistrict(students: 40, teachers: 6, schools: 1);
        await using var env = await SyncTestEnvironment.StartAsync(options);
        await env.OnboardAsync();
        Assert.Equal(SyncStatus.Success, Assert.Single(await env.SyncAsync()).Status);
        var school = env.District.Schools[0].Id;
        var sectionsBefore = await SectionIdsAsync(env, school);
        var gone = sectionsBefore[0];
        Assert.True(env.Simulator.Store.RemoveSection(gone));
        var newStudent = env.Simulator.Store.AddStudent(school);

        options.ScopesWithheld = ["read:sections"];
        var withheld = await CleverSyncCli.RunAsync(env.Settings, null, "sync", "--full", "--json");

        Assert.True(withheld.ExitCode == 2, withheld.ToString());
        Assert.Contains(newStudent, (await env.StudentsAsync(school)).Select(s => s.CleverStudentId));
        Assert.Equal(sectionsBefore, await SectionIdsAsync(env, school)); // the section Clever removed is still there: nothing was read
        var status = await CleverSyncCli.RunAsync(env.Settings, null, "status", "--json");
        var lastSyncs = status.Json().GetProperty("districts")[0].GetProperty("schools")[0].GetProperty("lastSyncs").EnumerateArray()
            .ToDictionary(s => s.GetProperty("entityType").GetString()!, s => (Status: s.GetProperty("status").GetString(), Error: s.GetProperty("error").GetString()));
        Assert.Equal((SyncStatus.Success, null), lastSyncs[SyncEntityType.Student]);
        Assert.Equal((SyncStatus.Success, null), lastSyncs[SyncEntityType.Teacher]);
        Assert.Equal(SyncStatus.Skipped, lastSyncs[SyncEntityType.Section].Status);
        Assert.Contains("read:sections", lastSyncs[SyncEntityType.Section].Error);
        var text = await CleverSyncCli.RunAsync(env.Settings, null, "status");
        Assert.Contains("read:sections", text.Stdout);

        // Granted again: the classes pick up from their own last sync and converge to Clever.
        options.ScopesWithheld = [];
        var granted = await CleverSyncCli.RunAsync(env.Settings, null, "sync", "--json");
        Assert.True(granted.ExitCode == 0, granted.ToString());
        Assert.Equal(sectionsBefore.Where(s => s != gone), await SectionIdsAsync(env, school));
    }

    [Fact]
    public async Task Several_district_tokens_for_one_credential_each_district_is_synced_with_its_own()
    {
        await using var env = await SyncTestEnvironment.StartAsync(TwoDistricts());
        Assert.True(env.Simulator.Districts[0].ClientId == env.Simulator.Districts[1].ClientId, "one application connected to both districts");
        foreach (var district in env.Simulator.Districts)
        {
            await env.OnboardAsync(district: district);
        }

        var results = await env.SyncAsync();

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.Status == SyncStatus.Success, r.Error));
        foreach (var district in env.Simulator.Districts)
        {
            var school = district.Schools[0].Id;
            Assert.Equal(env.Simulator.Store.GetUserIds(school, "student").Order(), (await env.StudentsAsync(school)).Select(s => s.CleverStudentId).Order());
        }
    }

    [Fact]
    public async Task A_district_the_credential_has_no_token_for_fails_naming_it_and_the_other_district_syncs()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 20, teachers: 4, schools: 1));
        await env.OnboardAsync();
        var stranger = new SimulatedDistrict("65d0000000000000000000ff", "Not Connected USD", env.District.ClientId, env.District.ClientSecret,
            [new SimulatedSchool("65e0000000000000000000ff", "65d0000000000000000000ff", "Not Connected High")]);
        await env.OnboardAsync(district: stranger);

        var results = await env.SyncAsync();

        Assert.Equal(SyncStatus.Success, results.Single(r => r.CleverDistrictId == env.District.Id).Status);
        var refused = results.Single(r => r.CleverDistrictId == stranger.Id);
        Assert.Equal(SyncStatus.Failed, refused.Status);
        Assert.Contains($"Clever issued no token for district {stranger.Id}", refused.Error);
        Assert.Contains("not connected", refused.Error);
    }

    [Theory]
    [InlineData("read:students")]
    [InlineData("read:teachers")]
    public async Task A_token_missing_a_user_scope_fails_that_districts_school_naming_the_scope_and_the_other_district_syncs(string scope)
    {
        var options = TwoDistricts();
        options.ScopesWithheldByDistrict = new Dictionary<int, IReadOnlyList<string>> { [1] = [scope] };
        await using var env = await SyncTestEnvironment.StartAsync(options);
        foreach (var district in env.Simulator.Districts)
        {
            await env.OnboardAsync(district: district);
        }

        var results = await env.SyncAsync();

        var healthy = results.Single(r => r.CleverDistrictId == env.Simulator.Districts[0].Id);
        Assert.True(healthy.Status == SyncStatus.Success, healthy.Error);
        var lacking = results.Single(r => r.CleverDistrictId == env.Simulator.Districts[1].Id);
        Assert.Equal(SyncStatus.Failed, lacking.Status);
        Assert.Contains(scope, lacking.Error);
        Assert.Empty(await env.StudentsAsync(env.Simulator.Districts[1].Schools[0].Id));
    }

    private static SimulatorOptions TwoDistricts()
    {
        var options = SyncTestEnvironment.SmallDistrict(students: 20, teachers: 4, schools: 1);
        options.Districts = 2;
        return options;
    }

    private static async Task<List<string>> SectionIdsAsync(SyncTestEnvironment env, string cleverSchoolId)
    {
        await using var db = await env.Services.GetRequiredService<SchoolDatabases>().ConnectAsync(await env.SchoolAsync(cleverSchoolId), CancellationToken.None);
        return await db.Sections.AsNoTracking().OrderBy(s => s.CleverSectionId).Select(s => s.CleverSectionId).ToListAsync();
    }
}
