namespace CleverSyncSOS.Bench.Reporting;

/// <summary>The targets and rows of the district event-stream scenarios (see BenchRunner.DistrictEvents).</summary>
internal sealed partial class ReportBuilder
{
    private void AddDistrictEventChecks(Ratios ratios, List<TargetCheck> targets, List<string> notes)
    {
        var (events, small, large, students) = Orchestration.BenchRunner.DistrictEventSizes(profile);
        var key = Orchestration.RunResults.Key($"events{events}", Sqlite, students);
        var incremental = results.Find(key, "events-incremental");
        var perSchool = incremental?.Extra.GetValueOrDefault("perSchoolRequests");
        var pages = incremental?.Extra.GetValueOrDefault("eventPages");
        targets.Add(AtMost($"Incremental run, {events} schools, 1 % changed: requests / (event pages + 1)",
            incremental is null ? null : incremental.Requests / (pages + 1), 1, Times,
            Why(key) ?? $"{incremental!.Requests} requests, {pages} event pages, {incremental.Seconds:F2} s"));
        var fewer = incremental?.Extra.GetValueOrDefault("vsPerSchool");
        targets.Add(AtLeast($"Incremental run, {events} schools: requests per school / per district", fewer, 20, Times,
            Why(key) ?? $"{perSchool} requests reading per school vs {incremental!.Requests} per district"));
        var moved = results.Find(key, "events-moved-student")?.Extra.GetValueOrDefault("movedOnlyInNewSchool");
        targets.Add(AtLeast("Moved student only in the new school after one incremental run", moved, 1, v => v >= 1 ? "yes" : "no", Why(key) ?? ""));
        if (fewer is { } f)
        {
            ratios.Info["districtEventsVsPerSchoolRequests"] = f;
        }

        var largeKey = Orchestration.RunResults.Key($"fleet{large}", Sqlite, students);
        var smallKey = Orchestration.RunResults.Key($"fleet{small}", Sqlite, students);
        var fleetFull = results.Find(largeKey, "fleet-full");
        var fleetIncremental = results.Find(largeKey, "fleet-incremental");
        if (fleetFull?.Extra.GetValueOrDefault("vsFloor") is { } vsFloor)
        {
            ratios.Info["fleetFullVsRateLimitFloor"] = vsFloor;
        }

        // The full sync is what the limit bounds (two requests a school); the incremental run's two requests set no floor to speak of.
        targets.Add(AtMost($"{large:N0} schools × {students} under 1,200/min, full sync: time / rate-limit floor",
            fleetFull?.Extra.GetValueOrDefault("vsFloor"), 1.5, Times,
            Why(largeKey) ?? $"full {fleetFull!.Seconds:F0} s ({fleetFull.Requests} requests, floor {fleetFull.Extra["floorSeconds"]:F0} s); then incremental {fleetIncremental?.Seconds:F1} s ({fleetIncremental?.Requests} requests)"));
        // The incremental run makes a handful of requests, so its floor is near zero: its time against it says what the
        // run costs beyond the limit (per-school history, and the schools the district's events concern).
        var incrementalVsFloor = fleetIncremental?.Extra.GetValueOrDefault("vsFloor");
        if (incrementalVsFloor is { } ivf)
        {
            ratios.Info["fleetIncrementalVsRateLimitFloor"] = ivf;
        }

        targets.Add(new TargetCheck($"{large:N0} schools, incremental run (1 % changed): time / rate-limit floor", incrementalVsFloor,
            incrementalVsFloor is { } v ? Times(v) : "–", "reported", null,
            Why(largeKey) ?? $"{fleetIncremental?.Seconds:F1} s for {fleetIncremental?.Requests} requests (floor {fleetIncremental?.Extra.GetValueOrDefault("floorSeconds"):F2} s), {fleetIncremental?.Seconds * 1000 / large:F1} ms a school"));
        var total = Divide(fleetFull?.Seconds + fleetIncremental?.Seconds, fleetFull?.Extra.GetValueOrDefault("floorSeconds") + fleetIncremental?.Extra.GetValueOrDefault("floorSeconds"));
        if (total is { } t)
        {
            ratios.Info["fleetFullThenIncrementalVsRateLimitFloor"] = t;
        }

        targets.Add(AtMost($"{large:N0} schools, full then incremental: total time / rate-limit floor", total, 1.5, Times,
            Why(largeKey) ?? $"{fleetFull?.Seconds + fleetIncremental?.Seconds:F0} s for {fleetFull?.Requests + fleetIncremental?.Requests} requests"));
        var smallFull = results.Find(smallKey, "fleet-full");
        var smallIncremental = results.Find(smallKey, "fleet-incremental");
        targets.Add(AtMost($"Peak memory, {large:N0} / {small:N0} schools (full sync)", Divide(fleetFull?.PeakRssBytes, smallFull?.PeakRssBytes), 1.5, Times,
            Why(largeKey, smallKey) ?? $"{Mib(fleetFull?.PeakRssBytes)} vs {Mib(smallFull?.PeakRssBytes)} peak RSS" + Growth(fleetFull, smallFull)));
        targets.Add(AtMost($"Peak memory, {large:N0} / {small:N0} schools (incremental run)", Divide(fleetIncremental?.PeakRssBytes, smallIncremental?.PeakRssBytes), 1.5, Times,
            Why(largeKey, smallKey) ?? $"{Mib(fleetIncremental?.PeakRssBytes)} vs {Mib(smallIncremental?.PeakRssBytes)} peak RSS" + Growth(fleetIncremental, smallIncremental)));
        notes.Add("District events: requests counted at the simulator; the per-school figure reads each school's events the way the service did before (cursor look-up, then events?school= pages) from the same cursor. Rate-limit floor = requests / (1,200 / 60 s).");
    }

    /// <summary>How much each run's resident set grew over what it started with (the warm-up's leftovers).</summary>
    private static string Growth(Measurement? large, Measurement? small) =>
        large?.Extra.GetValueOrDefault("rssAtStartMiB") is > 0 && small?.Extra.GetValueOrDefault("rssAtStartMiB") is > 0
            ? $"; grown over the start {large.PeakRssBytes / 1048576.0 - large.Extra["rssAtStartMiB"]:N0} vs {small.PeakRssBytes / 1048576.0 - small.Extra["rssAtStartMiB"]:N0} MiB"
            : "";

    private IEnumerable<ScenarioRow> DistrictEventRows()
    {
        var (events, small, large, students) = Orchestration.BenchRunner.DistrictEventSizes(profile);
        yield return Row($"District events, {events} schools: full", Sqlite, students, $"events{events}", "events-full");
        yield return Row($"District events, {events} schools: incremental, 1 % changed", Sqlite, students, $"events{events}", "events-incremental");
        yield return Row($"District events, {events} schools: a moved student", Sqlite, students, $"events{events}", "events-moved-student");
        foreach (var schools in new[] { small, large })
        {
            yield return Row($"{schools:N0} schools, 1,200/min: full", Sqlite, students, $"fleet{schools}", "fleet-full");
            yield return Row($"{schools:N0} schools, 1,200/min: incremental, 1 % changed", Sqlite, students, $"fleet{schools}", "fleet-incremental");
        }
    }
}
