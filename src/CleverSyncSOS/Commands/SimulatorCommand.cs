using System.CommandLine;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Host.Commands;

public static class SimulatorCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 = any free port)", DefaultValueFactory = _ => 5080 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data", DefaultValueFactory = _ => 42 };
        var districts = new Option<int>("--districts") { DefaultValueFactory = _ => 1 };
        var schools = new Option<int>("--schools") { Description = "Schools per district", DefaultValueFactory = _ => 3 };
        var students = new Option<int>("--students") { Description = "Students per school", DefaultValueFactory = _ => 300 };
        var teachers = new Option<int>("--teachers") { Description = "Teachers per school", DefaultValueFactory = _ => 30 };
        var tokenLifetime = new Option<int?>("--token-lifetime") { Description = "Token lifetime in seconds (default: tokens never expire, like Clever's)" };
        var rateLimit = new Option<int>("--rate-limit") { Description = "Requests per minute per token", DefaultValueFactory = _ => 1200 };
        var latency = new Option<int>("--latency-ms") { Description = "Latency added to every data response", DefaultValueFactory = _ => 0 };
        var noEvents = new Option<bool>("--no-events") { Description = "Record no events (a district that has not enabled them)" };

        // Harsh by default where Clever's behaviour is unconfirmed; each flag takes the kinder reading (README of the simulator).
        var kinder = new Option<bool>("--kinder") { Description = "Every unconfirmed behaviour the kind way (the individual flags below then refine it)" };
        var schoolFilter = new Option<EventSchoolFilter?>("--events-school-filter") { Description = "CurrentSchoolsOnly (default: a move is listed under the new school only) or FormerAndCurrentSchools" };
        var expiredCursor = new Option<ExpiredCursorAnswer?>("--expired-cursor") { Description = "FromOldestKept (default), BadRequest or NotFound" };
        var endingBeforeLast = new Option<EndingBeforeLastAnswer?>("--ending-before-last") { Description = "Rejected (default), Ignored or Supported" };
        var linksKeepFilters = new Option<bool?>("--links-keep-filters") { Description = "next/prev links keep role, limit and filters (default: false, only the cursor)" };
        var linksToEmptyPages = new Option<bool?>("--links-to-empty-pages") { Description = "last page still links to an empty page (default: true)" };
        var rateLimitHeaders = new Option<RateLimitHeaderStyle?>("--rate-limit-headers") { Description = "None (default), SeveralBuckets or BearerBucket" };
        var deletedFull = new Option<bool?>("--deleted-events-full") { Description = "users.deleted carries the full last state (default: false, only the id)" };
        var errorBodies = new Option<ErrorBodyStyle?>("--error-bodies") { Description = "Html (default), Empty, V1 or Message" };
        var rejectUnknown = new Option<bool?>("--reject-unknown-parameters") { Description = "400 for query parameters Clever does not list (default: true)" };
        var deadToken = new Option<DeadTokenAnswer?>("--dead-token") { Description = "Forbidden (default), HtmlPage or Unauthorized" };
        var eventsOff = new Option<EventsOffAnswer?>("--events-off") { Description = "how /events answers with --no-events: Unauthorized (default), Forbidden, NotFound or EmptyList" };
        var messy = new Option<bool?>("--messy-data") { Description = "users as messy as real ones (default: true)" };
        var oneApplication = new Option<bool?>("--one-application") { Description = "one client id/secret for every district, a token per district listed (default: true)" };
        var withheld = new Option<string[]>("--withhold-scope") { Description = "a scope left out of every token (repeatable)", AllowMultipleArgumentsPerToken = true };

        var command = new Command("simulator", "Run the bundled Clever API simulator (staging, manual tests); its subcommands change a running one")
        {
            port, seed, districts, schools, students, teachers, tokenLifetime, rateLimit, latency, noEvents,
            kinder, schoolFilter, expiredCursor, endingBeforeLast, linksKeepFilters, linksToEmptyPages, rateLimitHeaders, deletedFull,
            errorBodies, rejectUnknown, deadToken, eventsOff, messy, oneApplication, withheld,
        };
        foreach (var control in SimulatorControlCommands.Create())
        {
            command.Subcommands.Add(control);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new SimulatorOptions
            {
                Seed = result.GetValue(seed),
                Districts = result.GetValue(districts),
                SchoolsPerDistrict = result.GetValue(schools),
                StudentsPerSchool = result.GetValue(students),
                TeachersPerSchool = result.GetValue(teachers),
                TokenLifetimeSeconds = result.GetValue(tokenLifetime),
                RateLimitPerMinute = result.GetValue(rateLimit),
                LatencyMilliseconds = result.GetValue(latency),
                EventsEnabled = !result.GetValue(noEvents),
            };
            if (result.GetValue(kinder))
            {
                options.Kinder();
            }

            options.EventSchoolFilter = result.GetValue(schoolFilter) ?? options.EventSchoolFilter;
            options.ExpiredCursor = result.GetValue(expiredCursor) ?? options.ExpiredCursor;
            options.EndingBeforeLast = result.GetValue(endingBeforeLast) ?? options.EndingBeforeLast;
            options.LinksKeepFilters = result.GetValue(linksKeepFilters) ?? options.LinksKeepFilters;
            options.LinksToEmptyPages = result.GetValue(linksToEmptyPages) ?? options.LinksToEmptyPages;
            options.RateLimitHeaders = result.GetValue(rateLimitHeaders) ?? options.RateLimitHeaders;
            options.DeletedEventsCarryFullObject = result.GetValue(deletedFull) ?? options.DeletedEventsCarryFullObject;
            options.ErrorBodies = result.GetValue(errorBodies) ?? options.ErrorBodies;
            options.RejectUnknownQueryParameters = result.GetValue(rejectUnknown) ?? options.RejectUnknownQueryParameters;
            options.DeadToken = result.GetValue(deadToken) ?? options.DeadToken;
            options.EventsOff = result.GetValue(eventsOff) ?? options.EventsOff;
            options.MessyData = result.GetValue(messy) ?? options.MessyData;
            options.OneApplication = result.GetValue(oneApplication) ?? options.OneApplication;
            options.ScopesWithheld = result.GetValue(withheld) ?? [];
            try
            {
                await CleverSimulator.RunAsync(options, result.GetValue(port), Console.Out, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: a normal way to stop it.
            }

            return 0;
        });
        return command;
    }
}
