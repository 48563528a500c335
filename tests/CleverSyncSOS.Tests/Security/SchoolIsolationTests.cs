using CleverSyncSOS.Credentials;
using CleverSyncSOS.Naming;
using CleverSyncSOS.Onboarding;
using CleverSyncSOS.Persistence;
using CleverSyncSOS.Persistence.Session;
using CleverSyncSOS.Sync;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Security;

/// <summary>Two ids never share a database or a secret, whatever the ids look like (issue 8, defect 1).</summary>
public sealed class SchoolIsolationTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabases.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Schools_whose_ids_differ_only_in_case_sync_into_their_own_databases_and_never_delete_each_other(DatabaseProvider provider)
    {
        await using var clever = await CraftedClever.StartAsync(("AB", "Upper", 12), ("ab", "Lower", 3), ("a.b", "Dotted", 4), ("a_b", "Underscored", 5));
        await using var env = await CraftedCleverEnvironment.StartAsync(clever, provider);
        await CraftedCleverEnvironment.OnboardDistrictAsync(env);
        foreach (var (id, name) in new[] { ("AB", "Upper"), ("ab", "Lower"), ("a.b", "Dotted"), ("a_b", "Underscored") })
        {
            await CraftedCleverEnvironment.AddSchoolAsync(env, id, name);
        }

        var first = await env.SyncAsync(new SyncRequest("AB"));
        var second = await env.SyncAsync();

        Assert.True(Assert.Single(first).Status == SyncStatus.Success, string.Join("; ", first[0].Entities.Select(e => $"{e.EntityType}: {e.Error ?? e.Warning} failed {e.Failed}")));
        Assert.All(second, r => Assert.True(r.Status == SyncStatus.Success, $"{r.CleverSchoolId}: " + string.Join("; ", r.Entities.Select(e => $"{e.EntityType}: {e.Error ?? e.Warning} failed {e.Failed}"))));
        foreach (var id in new[] { "AB", "ab", "a.b", "a_b" })
        {
            Assert.Equal(clever.StudentIds(id), (await env.StudentsAsync(id)).Select(s => s.CleverStudentId));
            Assert.All(await env.HistoryAsync(id), h => Assert.Equal(0, h.RecordsDeleted));
        }

        await using var db = await env.SessionDbAsync();
        var schools = await db.Schools.AsNoTracking().ToListAsync();
        Assert.Equal(4, schools.Select(s => s.DatabaseName!.ToLowerInvariant()).Distinct().Count());
        Assert.Equal(4, schools.Select(s => s.KeyVaultConnectionStringSecretName!.ToLowerInvariant()).Distinct().Count());
    }

    [Theory]
    [InlineData("AB", "ab")]
    [InlineData("a.b", "a_b")]
    [InlineData("café", "caf")]
    [InlineData("日本", "中国")]
    [InlineData("d[/]", "../d")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789X", "0123456789abcdef0123456789abcdef0123456789Y")]
    public void Ids_that_clean_to_the_same_text_get_different_database_names_and_secrets(string one, string other)
    {
        const string longestPrefix = "abcdefghijklmnopqrstuvwxyz_1234";
        foreach (var prefix in new[] { "school_", longestPrefix })
        {
            var names = new[] { SchoolDatabaseNames.For(prefix, one), SchoolDatabaseNames.For(prefix, other) };
            Assert.NotEqual(names[0], names[1]);
            Assert.All(names, n => Assert.True(SchoolDatabaseNames.IsSafe(n) && n.Length <= 63, n));
            Assert.NotEqual(SecretNames.SchoolDatabaseConnectionString(names[0]).ToLowerInvariant(), SecretNames.SchoolDatabaseConnectionString(names[1]).ToLowerInvariant());
        }

        var prefixes = new[] { SecretNames.DefaultDistrictPrefix(one), SecretNames.DefaultDistrictPrefix(other) };
        Assert.NotEqual(prefixes[0].ToLowerInvariant(), prefixes[1].ToLowerInvariant());
        Assert.All(prefixes, p => Assert.True(SecretNames.IsValidPrefix(p), p));
    }

    [Fact]
    public void A_Clever_ObjectId_is_used_as_it_is()
    {
        Assert.Equal("school_65e000000000000000000001", SchoolDatabaseNames.For("school_", "65e000000000000000000001"));
        Assert.Equal("District-65d000000000000000000001", SecretNames.DefaultDistrictPrefix("65d000000000000000000001"));
        Assert.Equal("CleverSyncSOS--School-school-65e000000000000000000001-ConnectionString",
            SecretNames.SchoolDatabaseConnectionString("school_65e000000000000000000001"));
    }

    [Fact]
    public async Task A_new_school_whose_database_name_an_older_school_already_holds_is_refused_and_nothing_is_created()
    {
        await using var clever = await CraftedClever.StartAsync(("ab", "Lower", 3));
        await using var env = await CraftedCleverEnvironment.StartAsync(clever);
        await CraftedCleverEnvironment.OnboardDistrictAsync(env);
        // The row an earlier version made for the id "AB": its cleaned name is the one "ab" now gets.
        await using (var db = await env.SessionDbAsync())
        {
            db.Schools.Add(new School
            {
                CleverSchoolId = "AB", DistrictId = CraftedClever.DistrictId, Name = "Upper",
                DatabaseName = "school_ab", KeyVaultConnectionStringSecretName = "CleverSyncSOS--School-Upper-ConnectionString",
            });
            await db.SaveChangesAsync();
        }

        var refused = await Assert.ThrowsAsync<InvalidIdentifierException>(() => CraftedCleverEnvironment.AddSchoolAsync(env, "ab", "Lower"));

        Assert.Contains("school_ab", refused.Message);
        Assert.Contains("'AB' already uses", refused.Message);
        await using var after = await env.SessionDbAsync();
        Assert.False(await after.Schools.AnyAsync(s => s.CleverSchoolId == "ab"));
        Assert.False(File.Exists(Path.Combine(env.DataDir, "schools", "school_ab.db")));
        Assert.Null(await env.Services.GetRequiredService<ISecretStore>().GetSecretAsync(SecretNames.SchoolDatabaseConnectionString("school_ab"), CancellationToken.None));
    }

    [Fact]
    public async Task District_ids_that_clean_alike_get_their_own_credentials_and_a_taken_prefix_is_refused()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 1, teachers: 1, schools: 1));
        await using var scope = env.Services.CreateAsyncScope();
        var onboarding = scope.ServiceProvider.GetRequiredService<OnboardingService>();

        var bracket = await onboarding.AddDistrictAsync("d[/]", "Bracket", null, CancellationToken.None);
        var dots = await onboarding.AddDistrictAsync("../d", "Dots", null, CancellationToken.None);
        var taken = await Assert.ThrowsAsync<InvalidIdentifierException>(() =>
            onboarding.AddDistrictAsync("other", "Other", bracket.KeyVaultSecretPrefix!.ToUpperInvariant(), CancellationToken.None));
        var again = await onboarding.AddDistrictAsync("d[/]", "Bracket renamed", null, CancellationToken.None);

        Assert.NotEqual(bracket.KeyVaultSecretPrefix, dots.KeyVaultSecretPrefix);
        Assert.Contains("already used by district 'd[/]'", taken.Message);
        Assert.Equal(bracket.KeyVaultSecretPrefix, again.KeyVaultSecretPrefix);
    }
}
