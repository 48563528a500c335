using System.Collections.Concurrent;
using System.Text;

namespace CleverSyncSOS.Reliability.Tests.Harness;

/// <summary>One row of the reliability table: what was done to the service and what it did.</summary>
public sealed record CaseRow(string Name, string Injected, string Expected)
{
    public string Result { get; init; } = "";
    public int RecordsLost { get; init; }
    public int SecretsFound { get; init; }
    public bool Passed { get; init; }
}

/// <summary>
/// Every case of the run, written to <c>TestResults/reliability-table.md</c> after each case (so the file is whole
/// however the run ends) and printed by <see cref="ReliabilityTableFixture"/> when the suite ends.
/// </summary>
public static class CaseTable
{
    private static readonly ConcurrentDictionary<string, CaseRow> Rows = new(StringComparer.Ordinal);
    private static readonly Lock FileGate = new();
    private static readonly ConcurrentQueue<string> Figures = new();

    public static string FilePath { get; } = Path.Combine(RepositoryRoot(), "TestResults", "reliability-table.md");

    public static void Record(CaseRow row)
    {
        Rows[row.Name] = row;
        Write();
    }

    /// <summary>A measured figure (soak memory, handles...) printed under the table.</summary>
    public static void AddFigure(string line)
    {
        Figures.Enqueue(line);
        Write();
    }

    public static string Render()
    {
        var rows = Rows.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.AppendLine("# Reliability suite");
        text.AppendLine();
        text.AppendLine($"{rows.Count} cases, {rows.Count(r => r.Passed)} passed, {rows.Count(r => !r.Passed)} failed; " +
            $"records lost {rows.Sum(r => r.RecordsLost)}, secrets found {rows.Sum(r => r.SecretsFound)}.");
        text.AppendLine();
        text.AppendLine("| # | Case | Injected | Expected | Result | Lost | Secrets | |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        var number = 0;
        foreach (var row in rows)
        {
            text.AppendLine($"| {++number} | {Cell(row.Name)} | {Cell(row.Injected)} | {Cell(row.Expected)} | {Cell(row.Result)} | {row.RecordsLost} | {row.SecretsFound} | {(row.Passed ? "pass" : "FAIL")} |");
        }

        if (!Figures.IsEmpty)
        {
            text.AppendLine();
            text.AppendLine("## Figures");
            text.AppendLine();
            foreach (var figure in Figures)
            {
                text.AppendLine("- " + figure);
            }
        }

        return text.ToString();
    }

    private static void Write()
    {
        lock (FileGate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.WriteAllText(FilePath, Render());
        }
    }

    private static string Cell(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|", StringComparison.Ordinal);
        return line.Length > 240 ? line[..237] + "..." : line;
    }

    /// <summary>The folder holding CleverSyncSOS.sln (TestResults sits next to it, where .ci/run looks).</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CleverSyncSOS.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
