using System.Text;
using CleverSyncSOS.Host.Output;
using Spectre.Console;

namespace CleverSyncSOS.Tests.Cli;

public sealed class ProgressDisplayTests
{
    [Fact]
    public void An_interactive_terminal_gets_the_live_display()
    {
        var console = Console(new TerminalOutput(new StringWriter()), InteractionSupport.Yes);

        Assert.True(ProgressDisplay.IsLive(console));
    }

    [Fact]
    public void Redirected_output_gets_plain_lines_even_when_the_session_is_interactive()
    {
        var console = Console(new AnsiConsoleOutput(new StringWriter()), InteractionSupport.Yes);

        Assert.False(ProgressDisplay.IsLive(console));
    }

    [Fact]
    public void A_terminal_without_interaction_gets_plain_lines()
    {
        var console = Console(new TerminalOutput(new StringWriter()), InteractionSupport.No);

        Assert.False(ProgressDisplay.IsLive(console));
    }

    [Fact]
    public async Task Live_display_keeps_finished_lines_passes_the_status_and_returns_the_run_result()
    {
        var written = new StringWriter();
        var console = Console(new TerminalOutput(written), InteractionSupport.Yes);

        var result = await ProgressDisplay.RunAsync<string, int>(console, "Working", e => e == "done" ? new("school A done", null) : new(null, "school A busy"),
            progress =>
            {
                progress.Report("busy");
                progress.Report("done");
                return Task.FromResult(42);
            });

        Assert.Equal(42, result);
        Assert.Contains("school A done", written.ToString());
    }

    [Fact]
    public async Task Plain_output_prints_only_the_lines_in_order()
    {
        var written = new StringWriter();
        var console = Console(new AnsiConsoleOutput(written), InteractionSupport.Yes);

        await ProgressDisplay.RunAsync<int, int>(console, "Working", e => new(e % 2 == 0 ? $"line {e}" : null, $"status {e}"),
            progress =>
            {
                foreach (var e in Enumerable.Range(0, 6))
                {
                    progress.Report(e);
                }

                return Task.FromResult(0);
            });

        Assert.Equal(["line 0", "line 2", "line 4"], written.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static IAnsiConsole Console(IAnsiConsoleOutput output, InteractionSupport interaction) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.Yes, Interactive = interaction, Out = output });

    /// <summary>An output that says it is a terminal, as stdout is when nobody redirects it.</summary>
    private sealed class TerminalOutput(TextWriter writer) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;
        public bool IsTerminal => true;
        public int Width => 80;
        public int Height => 24;
        public void SetEncoding(Encoding encoding) { }
    }
}
