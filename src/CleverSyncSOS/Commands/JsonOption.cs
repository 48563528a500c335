using System.CommandLine;
using Spectre.Console;

namespace CleverSyncSOS.Host.Commands;

/// <summary>The <c>--json</c> option and the console that keeps stdout for the JSON document.</summary>
public static class JsonOption
{
    public static Option<bool> Create() => new("--json")
    {
        Description = "Print one JSON document on stdout (shape: docs/cli-json.md); progress and logs go to stderr",
    };

    /// <summary>Where human-readable lines go: stdout normally, stderr when stdout carries JSON.</summary>
    public static IAnsiConsole Console(bool json) => json
        ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) })
        : AnsiConsole.Console;
}
