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

    public static string Count(int? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "–";
}
