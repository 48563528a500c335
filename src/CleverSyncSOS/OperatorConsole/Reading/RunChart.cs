using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace CleverSyncSOS.Host.OperatorConsole.Reading;

/// <summary>One past run of a school: its SyncHistory rows summed over entity types.</summary>
public sealed record RunSummary(Guid? RunId, string? Trigger, string? RequestedBy, DateTime StartedAt, TimeSpan? Duration, string Status, string SyncType,
    int Created, int Updated, int Deleted, int Failed, int Processed);

/// <summary>
/// The school page's chart, drawn on the server as inline SVG (no script, no external library): per run, oldest left, a bar
/// of its duration and beside it the records created, updated, deleted and failed.
/// </summary>
public static class RunChart
{
    public static readonly (string Name, string Color)[] Series =
        [("Created", "#1a7f37"), ("Updated", "#0550ae"), ("Deleted", "#cf222e"), ("Failed", "#9a6700")];

    public static IHtmlContent Render(IReadOnlyList<RunSummary> newestFirst)
    {
        var runs = newestFirst.Take(20).Reverse().ToList();
        const int width = 900, top = 16, durationHeight = 90, countsTop = 140, countsHeight = 110, left = 48;
        var slot = Math.Min(60, (width - left - 8) / (double)Math.Max(runs.Count, 1)); // a few runs stay narrow bars
        var maxSeconds = Math.Max(1, runs.Max(r => r.Duration?.TotalSeconds ?? 0));
        var maxCount = Math.Max(1, runs.Max(r => Math.Max(Math.Max(r.Created, r.Updated), Math.Max(r.Deleted, r.Failed))));
        var svg = new StringBuilder();
        var summary = string.Join("; ", newestFirst.Take(3).Select(r =>
            $"{r.StartedAt:yyyy-MM-dd HH:mm} UTC {r.Status}, {Display.Duration(r.Duration)}, {r.Created} created, {r.Updated} updated, {r.Deleted} deleted, {r.Failed} failed"));
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart\" viewBox=\"0 0 {width} {countsTop + countsHeight + 24}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"chart-title\">Duration and records changed of the last {runs.Count} runs</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"chart-desc\">Newest runs: {System.Net.WebUtility.HtmlEncode(summary)}. The table below has every run.</desc>");
        Axis(svg, left, top, durationHeight, width, $"{maxSeconds:0.#} s", "duration");
        Axis(svg, left, countsTop, countsHeight, width, maxCount.ToString("N0", CultureInfo.InvariantCulture), "records");
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var x = left + i * slot;
            var h = (run.Duration?.TotalSeconds ?? 0) / maxSeconds * durationHeight;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect data-series=\"duration\" x=\"{x + slot * 0.2:0.#}\" y=\"{top + durationHeight - h:0.#}\" width=\"{slot * 0.6:0.#}\" height=\"{h:0.#}\" fill=\"{(run.Status == "Failed" ? "#cf222e" : "#57606a")}\"><title>{run.StartedAt:yyyy-MM-dd HH:mm} UTC: {Display.Duration(run.Duration)} ({run.Status})</title></rect>");
            var values = new[] { run.Created, run.Updated, run.Deleted, run.Failed };
            var barWidth = slot * 0.8 / values.Length;
            for (var s = 0; s < values.Length; s++)
            {
                var vh = values[s] / (double)maxCount * countsHeight;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect data-series=\"{Series[s].Name.ToLowerInvariant()}\" x=\"{x + slot * 0.1 + s * barWidth:0.#}\" y=\"{countsTop + countsHeight - vh:0.#}\" width=\"{barWidth:0.#}\" height=\"{vh:0.#}\" fill=\"{Series[s].Color}\"><title>{Series[s].Name}: {values[s]:N0}</title></rect>");
            }
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static void Axis(StringBuilder svg, int left, int top, int height, int width, string max, string label)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + height}\" x2=\"{width - 4}\" y2=\"{top + height}\" stroke=\"#d0d7de\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{top + 10}\" text-anchor=\"end\">{max}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{top + height}\" text-anchor=\"end\">0</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - 8}\" y=\"{top + 10}\" text-anchor=\"end\">{label}</text>");
    }
}
