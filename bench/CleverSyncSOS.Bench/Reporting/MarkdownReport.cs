using System.Globalization;
using System.Text;

namespace CleverSyncSOS.Bench.Reporting;

/// <summary>The tables printed at the end of a run and written to bench/results/latest.md.</summary>
internal static class MarkdownReport
{
    public static string Render(ReportDocument d)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# CleverSyncSOS benchmark: {d.Mode} run");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{d.GeneratedAt}; {d.Machine.ProcessorCount} cores, {d.Machine.MemoryGiB} GiB, {d.Machine.Os}, {d.Machine.Runtime}; PostgreSQL: {d.PostgreSql}; `{d.Command}`; {d.TotalSeconds / 60:F1} min; load average {d.LoadAverageAtStart} at the start, {d.LoadAverageAtEnd} at the end.");
        text.AppendLine();
        text.AppendLine("## Targets");
        text.AppendLine();
        Table(text, ["Target", "Measured", "Required", "Met", "Detail"], [false, true, false, false, false],
            d.Targets.Select(t => new[] { t.Name, t.Shown, t.Target, t.Met switch { true => "✓", false => "✗", null => "–" }, t.Detail }));
        if (d.Ratios.Info.Count > 0 || d.Ratios.PostgreSql.VsCopyCeiling is not null)
        {
            text.AppendLine();
            text.AppendLine("Other ratios (no target): " + string.Join("; ", d.Ratios.Info.Select(kv => $"{kv.Key} {kv.Value:0.###}")
                .Concat(d.Ratios.PostgreSql.VsCopyCeiling is { } copy ? [$"postgreSql.vsCopyCeiling {copy:0.###}"] : [])) + ".");
        }

        text.AppendLine();
        text.AppendLine("## Measurements");
        text.AppendLine();
        Table(text, ["Scenario", "DB", "Students", "Records", "Time (s)", "Records/s", "Peak RSS (MiB)", "Requests", "Written", "Notes"],
            [false, false, true, true, true, true, true, true, true, false],
            d.Scenarios.Select(r => r.Status != "ok"
                ? new[] { r.Scenario, r.Database, N(r.Students), "", "", "", "", "", "", r.Status }
                : [r.Scenario, r.Database, N(r.Students), N(r.Records), r.Seconds is { } s ? s.ToString(s < 10 ? "F3" : "F1", CultureInfo.InvariantCulture) : "",
                    N(r.RecordsPerSecond), r.PeakRssMiB is { } m ? m.ToString("N0", CultureInfo.InvariantCulture) + (r.PeakRssScenarioOnly == false ? "*" : "") : "",
                    N(r.Requests), N(r.Written), r.Note ?? ""]));
        text.AppendLine();
        foreach (var note in d.Notes)
        {
            text.AppendLine("- " + note);
        }

        return text.ToString();
    }

    private static string N(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "";

    private static void Table(StringBuilder text, string[] headers, bool[] right, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => right[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |";
        text.AppendLine(Line(headers));
        text.AppendLine("|" + string.Join("|", widths.Select((w, i) => right[i] ? new string('-', w + 1) + ":" : new string('-', w + 2))) + "|");
        foreach (var row in all)
        {
            text.AppendLine(Line(row));
        }
    }
}
