using System.Globalization;
using System.Text.Encodings.Web;
using CleverSyncSOS.Host.OperatorConsole.Reading;
using Microsoft.AspNetCore.Html;

namespace CleverSyncSOS.Host.OperatorConsole;

/// <summary>How the console writes times and states: one place, so every page reads alike.</summary>
public static class Display
{
    /// <summary>A UTC time as <c>&lt;time&gt;</c>: the page's script shows it in the viewer's zone, the title keeps UTC on hover.</summary>
    public static IHtmlContent Time(DateTime? utc, string empty = "never")
    {
        if (utc is not { } value)
        {
            return new HtmlString(HtmlEncoder.Default.Encode(empty));
        }

        var at = DateTime.SpecifyKind(value, DateTimeKind.Utc);
        var iso = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var text = at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return new HtmlString($"<time datetime=\"{iso}\" title=\"{text}\">{text}</time>");
    }

    public static string Duration(TimeSpan? span) => span switch
    {
        null => "–",
        { TotalSeconds: < 60 } s => $"{s.TotalSeconds:0.#} s",
        { TotalMinutes: < 60 } s => $"{(int)s.TotalMinutes} min {s.Seconds} s",
        var s => $"{(int)s.Value.TotalHours} h {s.Value.Minutes} min",
    };

    public static string Label(SchoolState state) => state switch
    {
        SchoolState.InStep => "In step",
        SchoolState.Running => "Running",
        SchoolState.Partial => "Partial",
        SchoolState.Failed => "Failed",
        SchoolState.Held => "Held",
        SchoolState.Paused => "Paused",
        SchoolState.Overdue => "Overdue",
        _ => state.ToString(),
    };

    public static string CssClass(SchoolState state) => "state-" + state.ToString().ToLowerInvariant();

    /// <summary>The CSS class of a run or SyncHistory status ("Success", "Partial", "Failed", "Running"...).</summary>
    public static string StatusClass(string status) => status switch
    {
        "Success" or "Completed" => "state-instep",
        "Partial" => "state-partial",
        "Failed" => "state-failed",
        "Held" => "state-held",
        "Paused" or "Skipped" => "state-paused",
        _ => "state-running",
    };

    /// <summary>How long ago, in words an operator reads at a glance.</summary>
    public static string Ago(double? hours) => hours switch
    {
        null => "",
        < 1 => "less than an hour ago",
        < 48 => $"{hours:0} h ago",
        _ => $"{hours / 24:0} days ago",
    };

    /// <summary>Who or what started a run: the console's user, the schedule, an API caller or the command line.</summary>
    public static string StartedBy(string trigger, string? requestedBy) => (trigger, requestedBy) switch
    {
        (_, { } by) when by.StartsWith("console:", StringComparison.Ordinal) => $"{by["console:".Length..]}, from this console",
        ("Schedule", _) => "The schedule",
        ("Cli", _) => "The command line (cleversync sync)",
        ("Api", { } by) => $"An API caller ({by})",
        (var other, var by) => by is null ? other : $"{other} ({by})",
    };

    /// <summary>A running school's progress line (the run page's script writes the same words).</summary>
    public static string Progress(string stage, string? entityType, int recordsRead) =>
        entityType is null ? $"{stage}: starting…" : $"{stage} {entityType.ToLowerInvariant()}s: {recordsRead:N0} records read";

    /// <summary>The service's health checks by the names an operator knows.</summary>
    public static string CheckName(string name) => name switch
    {
        "sessiondb" => "Orchestration database (SessionDb)",
        "secret-store" => "Secret store",
        "scheduler" => "Scheduler",
        _ => name,
    };

    public static string Count(int? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "–";
}
