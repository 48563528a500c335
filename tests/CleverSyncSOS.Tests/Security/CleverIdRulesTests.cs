using CleverSyncSOS.Credentials;
using CleverSyncSOS.Naming;
using CleverSyncSOS.Onboarding;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Security;

/// <summary>Which ids are accepted (docs/decisions/0006-identifiers-and-storage-names.md).</summary>
public sealed class CleverIdRulesTests
{
    [Theory]
    [InlineData("65e000000000000000000001")]
    [InlineData("AB")]
    [InlineData("a.b")]
    [InlineData("../../etc/passwd")]
    [InlineData("x'; DROP TABLE Students; --")]
    [InlineData("école 🏫")]
    [InlineData("שלום")]
    [InlineData("12345678901234567890123456789012345678901234567890")]
    public void Any_printable_id_Clever_could_send_is_accepted(string id) => Assert.Null(CleverId.Problem(id));

    [Theory]
    [InlineData("", "is required")]
    [InlineData("   ", "is required")]
    [InlineData(" a", "starts or ends with a space")]
    [InlineData("a\u0000b", "U+0000")]
    [InlineData("a\nb", "U+000A")]
    [InlineData("a\u202Eb", "U+202E")]
    [InlineData("a\u200Bb", "U+200B")]
    [InlineData(".", "is not an id")]
    [InlineData("..", "is not an id")]
    [InlineData("123456789012345678901234567890123456789012345678901", "is 51 characters; at most 50")]
    public void Ids_with_invisible_characters_dot_segments_or_over_50_characters_are_refused_with_the_reason(string id, string reason) =>
        Assert.Contains(reason, CleverId.Problem(id));

    [Fact]
    public void An_id_with_a_lone_surrogate_is_refused() =>
        // Built here: attribute data would turn the lone surrogate into U+FFFD.
        Assert.Contains("U+D800", CleverId.Problem("a" + (char)0xD800 + "b"));

    [Fact]
    public async Task Adding_a_school_again_keeps_its_names_and_stores_an_old_absolute_location_relative()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(students: 5, teachers: 1, schools: 1));
        await env.OnboardAsync();
        var school = await env.SchoolAsync(env.District.Schools[0].Id);
        var secrets = env.Services.GetRequiredService<ISecretStore>();
        await secrets.SetSecretAsync(school.KeyVaultConnectionStringSecretName!,
            $"Data Source={Path.Combine(env.DataDir, "schools", school.DatabaseName + ".db")};Pooling=True", CancellationToken.None);

        await using var scope = env.Services.CreateAsyncScope();
        var again = await scope.ServiceProvider.GetRequiredService<OnboardingService>().AddSchoolAsync(env.District.Id, school.CleverSchoolId, "Renamed", CancellationToken.None);

        Assert.Equal(school.DatabaseName, again.DatabaseName);
        Assert.Equal(school.KeyVaultConnectionStringSecretName, again.KeyVaultConnectionStringSecretName);
        Assert.Equal($"Data Source=schools/{school.DatabaseName}.db;Pooling=True",
            await secrets.GetSecretAsync(school.KeyVaultConnectionStringSecretName!, CancellationToken.None));
    }
}
