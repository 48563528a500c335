using System.Diagnostics;
using System.Text.Json;
using CleverSyncSOS.Host.Commands;

namespace CleverSyncSOS.Tests.Cli;

/// <summary>What one run of the real <c>cleversync</c> executable did.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    /// <summary>Stdout parsed as the one JSON document <c>--json</c> promises (fails the test when it is anything else).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }

    public override string ToString() => Output;
}

/// <summary>
/// Runs the real <c>cleversync</c> executable in its own process, as an operator would: configuration through
/// CleverSyncSOS__* environment variables, secrets through standard input.
/// </summary>
public static class CliProcess
{
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?>? environment, string? stdin, params string[] args)
    {
        using var process = Start(environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cleversync {string.Join(' ', args)} did not end within 2 minutes.\n{await stdout}\n{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the executable with its standard streams redirected, for a test that stops it itself (kill -9).</summary>
    public static Process Start(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", typeof(CleverSyncCommandLine).Assembly.Location, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        // Wide enough that tables and messages are not wrapped mid-word.
        start.Environment["COLUMNS"] = "240";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>Environment variables that point the executable at a Clever-compatible server.</summary>
    public static Dictionary<string, string?> PointedAt(Uri tokenEndpoint, Uri apiBaseUrl) => new()
    {
        ["CleverSyncSOS__CleverAuth__TokenEndpoint"] = tokenEndpoint.ToString(),
        ["CleverSyncSOS__CleverApi__BaseUrl"] = apiBaseUrl.ToString(),
        ["CleverSyncSOS__CleverAuth__RetryPolicy__MaxRetries"] = "1",
        ["CleverSyncSOS__CleverAuth__RetryPolicy__BaseDelaySeconds"] = "0.01",
    };
}
