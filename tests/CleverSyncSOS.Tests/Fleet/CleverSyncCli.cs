using System.Diagnostics;
using System.Text.Json;
using CleverSyncSOS.Host.Commands;

namespace CleverSyncSOS.Tests.Fleet;

/// <summary>What one run of the real <c>cleversync</c> executable left: its exit code and what it wrote where.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as the one JSON document <c>--json</c> promises (fails the test when it is anything else).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// Runs the built <c>cleversync</c> in its own process, as an operator's script would: settings as
/// <c>CleverSyncSOS__…</c> environment variables, an optional stdin, stdout and stderr kept apart.
/// </summary>
public static class CleverSyncCli
{
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> settings, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", typeof(CleverSyncCommandLine).Assembly.Location, .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
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
            throw new TimeoutException($"cleversync {string.Join(' ', args)} did not end within 2 minutes.");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
