using System.CommandLine;
using CleverSyncSOS.Host.Commands;
using CleverSyncSOS.Runs;
using CleverSyncSOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CleverSyncSOS.Tests.Service;

public sealed class PauseCommandTests
{
    [Fact]
    public async Task Pause_add_list_and_remove_manage_a_districts_windows_and_bad_input_is_refused_without_a_window()
    {
        await using var env = await SyncTestEnvironment.StartAsync(SyncTestEnvironment.SmallDistrict(schools: 1));
        await env.OnboardAsync();
        var pauses = env.Services.GetRequiredService<PauseWindows>();

        Assert.Equal(0, await Run("pause", "add", "--district", env.District.Id, "--from", "2027-06-15T00:00:00Z", "--until", "2027-08-20T00:00:00Z",
            "--reason", "summer", "--data-dir", env.DataDir));
        var window = Assert.Single(await pauses.ListAsync(env.District.Id, CancellationToken.None));
        Assert.Equal(new DateTime(2027, 6, 15, 0, 0, 0, DateTimeKind.Utc), window.StartsAt);
        Assert.Equal("summer", window.Reason);

        Assert.Equal(1, await Run("pause", "add", "--district", env.District.Id, "--from", "2027-06-15", "--until", "2027-08-20T00:00:00Z", "--data-dir", env.DataDir));
        Assert.Equal(1, await Run("pause", "add", "--district", "no-such-district", "--from", "2027-06-15T00:00:00Z", "--until", "2027-08-20T00:00:00Z", "--data-dir", env.DataDir));
        Assert.Equal(1, await Run("pause", "add", "--district", env.District.Id, "--from", "2027-08-20T00:00:00Z", "--until", "2027-06-15T00:00:00Z", "--data-dir", env.DataDir));
        Assert.Single(await pauses.ListAsync(null, CancellationToken.None));

        Assert.Equal(0, await Run("pause", "list", "--data-dir", env.DataDir));
        Assert.Equal(0, await Run("pause", "remove", "--id", window.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", env.DataDir));
        Assert.Empty(await pauses.ListAsync(null, CancellationToken.None));
        Assert.Equal(1, await Run("pause", "remove", "--id", "999", "--data-dir", env.DataDir));
    }

    private static Task<int> Run(params string[] args) => CleverSyncCommandLine.Build().Parse(args).InvokeAsync();
}
