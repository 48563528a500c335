using System.Text.Json.Nodes;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Bench.Orchestration;

/// <summary>
/// The district event-stream scenarios: a 500-school district's incremental run against reading per school, and a
/// 1,000-school district (and a 100-school one, for memory) under Clever's 1,200 requests a minute.
/// </summary>
internal sealed partial class BenchRunner
{
    /// <summary>Schools and students per school of the event scenarios: (events district, fleet small, fleet large, students).</summary>
    public static (int Events, int FleetSmall, int FleetLarge, int Students) DistrictEventSizes(BenchProfile profile) =>
        profile.Name == "quick" ? (50, 10, 100, 100) : (500, 100, 1_000, 500);

    private async Task RunDistrictEventsAsync(CancellationToken cancellationToken)
    {
        var (events, small, large, students) = DistrictEventSizes(profile);
        if (only is null || only.Contains("events"))
        {
            log.WriteLine($"== District event stream: {events} schools × {students:N0} students, 1 % changed");
            await using var simulator = await StartDistrictAsync(events, students, limitPerMinute: null);
            await RunAsync("events", "Sqlite", students, simulator, null, cancellationToken, label: $"events{events}");
        }

        foreach (var schools in new[] { small, large })
        {
            if (only is not null && !only.Contains("fleet"))
            {
                break;
            }

            log.WriteLine($"== Fleet: {schools:N0} schools × {students:N0} students under 1,200 requests a minute, full then incremental");
            await using var simulator = await StartDistrictAsync(schools, students, limitPerMinute: 1_200);
            await RunAsync("fleet", "Sqlite", students, simulator, null, cancellationToken,
                r => r with { RateLimitPerWindow = 1_200, RateLimitWindowSeconds = 60 }, label: $"fleet{schools}");
        }
    }

    /// <summary>
    /// One district; one event before the first sync (on a teacher of the last school) so the full sync stores a real
    /// cursor and the next runs read events. The same simulator settings as the other scenarios.
    /// </summary>
    private static async Task<CleverSimulator> StartDistrictAsync(int schools, int students, int? limitPerMinute)
    {
        var simulator = await StartSimulatorAsync(schools, students, limitPerMinute);
        var last = simulator.Districts[0].Schools[^1].Id;
        simulator.Store.UpdateUser(simulator.Store.GetUserIds(last, "teacher")[0], new JsonObject { ["name"] = new JsonObject { ["middle"] = "Bench" } });
        return simulator;
    }
}
