using System.CommandLine;
using CleverSyncSOS.Simulator;

namespace CleverSyncSOS.Host.Commands;

/// <summary>
/// Controls a running simulator through its admin API, for staging and manual failure drills:
/// <c>cleversync simulator fault --target token --status 500 --count 3</c>, <c>revoke</c>, <c>rotate</c>, …
/// </summary>
public static class SimulatorControlCommands
{
    private static readonly Option<Uri> Url = new("--url")
    {
        Description = "Base URL of the running simulator",
        DefaultValueFactory = _ => new Uri("http://127.0.0.1:5080/"),
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                return uri;
            }

            result.AddError($"--url must be an absolute URL such as http://127.0.0.1:5080/; '{text}' is not.");
            return null!;
        },
    };

    public static IEnumerable<Command> Create()
    {
        yield return Fault();
        yield return Simple("clear-faults", "Remove every injected fault", (admin, _, ct) => admin.ClearFaultsAsync(ct));

        var district = new Option<string>("--district") { Description = "Clever district id", Required = true };
        yield return Simple("revoke", "Revoke the district's tokens (data calls then answer 401)", (admin, r, ct) => admin.RevokeTokensAsync(r.GetValue(district)!, ct), district);
        yield return Simple("rotate", "Give the district a new client secret and print it", async (admin, r, ct) =>
            Console.WriteLine(await admin.RotateCredentialsAsync(r.GetValue(district)!, ct)), district);

        var perMinute = new Option<int>("--per-minute") { Description = "Requests per minute per token", Required = true };
        yield return Simple("rate-limit", "Change the rate limit (Clever's is 1200 a minute)", (admin, r, ct) => admin.SetRateLimitAsync(r.GetValue(perMinute), ct), perMinute);

        var milliseconds = new Option<int>("--ms") { Description = "Milliseconds added to every data response", Required = true };
        yield return Simple("latency", "Change the latency of data responses", (admin, r, ct) => admin.SetLatencyAsync(r.GetValue(milliseconds), ct), milliseconds);

        var school = new Option<string>("--school") { Description = "Clever school id", Required = true };
        var adds = new Option<int>("--adds") { DefaultValueFactory = _ => 5 };
        var edits = new Option<int>("--edits") { DefaultValueFactory = _ => 5 };
        var removes = new Option<int>("--removes") { DefaultValueFactory = _ => 2 };
        yield return Simple("change", "Add, edit and remove users of a school (recorded as Clever events)", async (admin, r, ct) =>
            Console.WriteLine(await admin.ApplyRandomChangesAsync(r.GetValue(school)!, r.GetValue(adds), r.GetValue(edits), r.GetValue(removes), Environment.TickCount, ct)),
            school, adds, edits, removes);
        yield return Simple("expire-events", "Drop every event, as if the stored cursors were older than Clever keeps", (admin, _, ct) => admin.ExpireEventsAsync(ct));
    }

    private static Command Fault()
    {
        var target = new Option<FaultTarget>("--target") { Description = "token (the token endpoint) or api (the data API)", DefaultValueFactory = _ => FaultTarget.Api };
        var status = new Option<int?>("--status") { Description = "Answer with this HTTP status" };
        var count = new Option<int>("--count") { Description = "How many matching calls to affect (0 = all)", DefaultValueFactory = _ => 1 };
        var skip = new Option<int>("--skip") { Description = "Let this many matching calls pass first" };
        var delay = new Option<int?>("--delay-ms") { Description = "Delay the answer (for timeouts)" };
        var drop = new Option<bool>("--drop") { Description = "Drop the connection instead of answering" };
        var path = new Option<string?>("--path") { Description = "Only calls whose path and query contain this" };
        return Simple("fault", "Inject a fault: fail, delay or drop the next calls", (admin, r, ct) => admin.AddFaultAsync(new FaultRule
        {
            Target = r.GetValue(target),
            StatusCode = r.GetValue(status),
            Count = r.GetValue(count),
            Skip = r.GetValue(skip),
            DelayMilliseconds = r.GetValue(delay),
            DropConnection = r.GetValue(drop),
            PathContains = r.GetValue(path),
        }, ct), target, status, count, skip, delay, drop, path);
    }

    private static Command Simple(string name, string description, Func<SimulatorAdminClient, ParseResult, CancellationToken, Task> action, params Option[] options)
    {
        var command = new Command(name, description) { Url };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient();
            try
            {
                await action(new SimulatorAdminClient(http, result.GetValue(Url)!), result, cancellationToken);
                return 0;
            }
            catch (HttpRequestException ex)
            {
                await Console.Error.WriteLineAsync($"Error: the simulator at {result.GetValue(Url)} did not accept the request: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
