using System.CommandLine;

namespace CleverSyncSOS.Host.Commands;

/// <summary>
/// <c>probe</c>: one HTTP GET of a health endpoint, exit code 0 on a 2xx answer, 1 otherwise. The container image
/// has no shell, curl or wget (chiseled base), so a container engine's health check runs the executable itself.
/// </summary>
public static class ProbeCommand
{
    public static Command Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "Health endpoint to ask",
            DefaultValueFactory = _ => new Uri("http://127.0.0.1:8080/health/live"),
        };
        var timeout = new Option<int>("--timeout-seconds") { Description = "Give up after this long", DefaultValueFactory = _ => 5 };
        var command = new Command("probe", "Ask a health endpoint once (for container health checks). Exit code 0 healthy, 1 not") { url, timeout };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(Math.Clamp(result.GetValue(timeout), 1, 60)) };
            try
            {
                using var response = await http.GetAsync(result.GetValue(url), cancellationToken);
                await Console.Error.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}");
                return response.IsSuccessStatusCode ? Hosting.ExitCodes.Success : Hosting.ExitCodes.Error;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Console.Error.WriteLineAsync($"No answer: {ex.Message}");
                return Hosting.ExitCodes.Error;
            }
        });
        return command;
    }
}
