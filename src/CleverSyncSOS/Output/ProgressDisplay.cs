using Spectre.Console;

namespace CleverSyncSOS.Host.Output;

/// <summary>
/// What one progress event shows. <see cref="Line"/> is kept in the output (plain and live); <see cref="Status"/> is
/// what is going on right now: a live display shows it in its spinner line and drops it, plain output prints
/// <see cref="Line"/> only.
/// </summary>
public readonly record struct ProgressNote(string? Line, string? Status);

/// <summary>
/// How a long run (<c>sync</c>, <c>db migrate</c>) shows progress: a live Spectre status display when its console is an
/// interactive terminal, one plain line per event when the output is redirected (a log file, a pipe, CI) so the
/// lines stay readable and grep-able.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Live only on an interactive ANSI terminal; anything redirected gets plain lines.</summary>
    public static bool IsLive(IAnsiConsole console) =>
        console.Profile.Capabilities is { Interactive: true, Ansi: true } && console.Profile.Out.IsTerminal;

    public static Task<T> RunAsync<TEvent, T>(IAnsiConsole console, string title, Func<TEvent, ProgressNote> describe,
        Func<IProgress<TEvent>, Task<T>> run) =>
        IsLive(console)
            ? console.Status().StartAsync(Markup.Escape(title), status => run(new LiveProgress<TEvent>(console, status, describe)))
            : run(new PlainProgress<TEvent>(console, describe));
}

/// <summary>
/// Prints each event's line as it happens. Synchronous on purpose: <see cref="Progress{T}"/> would post reports
/// to the thread pool and print them out of order.
/// </summary>
public sealed class PlainProgress<TEvent>(IAnsiConsole console, Func<TEvent, ProgressNote> describe) : IProgress<TEvent>
{
    private readonly Lock _gate = new();

    public void Report(TEvent value)
    {
        if (describe(value).Line is not { } line)
        {
            return;
        }

        lock (_gate)
        {
            console.MarkupLine(line);
        }
    }
}

/// <summary>Updates the spinner line with what is going on and prints finished work above it.</summary>
internal sealed class LiveProgress<TEvent>(IAnsiConsole console, StatusContext status, Func<TEvent, ProgressNote> describe) : IProgress<TEvent>
{
    private readonly Lock _gate = new();

    public void Report(TEvent value)
    {
        var note = describe(value);
        lock (_gate)
        {
            if (note.Status is not null)
            {
                status.Status(note.Status);
            }
            else if (note.Line is not null)
            {
                console.MarkupLine(note.Line);
            }
        }
    }
}
