using System.Globalization;
using System.Text;

namespace OrleansTabs.Load.Reporting;

/// <summary>Writes a run's tables to <c>bench/results/&lt;workload&gt;-&lt;date&gt;[-split].md</c> and to stdout.</summary>
internal static class ReportWriter
{
    /// <summary>The report's file name without extension, e.g. <c>w2-2025-01-31-split</c>.</summary>
    public static string BaseName(string workload, string topology) =>
        $"{workload}-{DateTime.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{(topology == "split" ? "-split" : "")}";

    public static string Render(ResultTable table, string commandLine, DateTime started)
    {
        var text = new StringBuilder();
        text.Append("# ").AppendLine(table.Title).AppendLine();
        text.Append("- command: `").Append(commandLine).AppendLine("`");
        text.Append("- machine: ").Append(Machine.Describe()).Append(" at the end of the run (").Append(Machine.StartLoad).AppendLine(" at its start; 2 = both cores busy)");
        text.Append("- started: ").AppendLine(started.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).AppendLine();
        text.Append(table.ToMarkdown());
        if (table.Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in table.Notes)
            {
                text.Append("- ").AppendLine(note);
            }
        }

        if (table.Failures.Count > 0)
        {
            text.AppendLine().AppendLine("Failures:");
            foreach (var failure in table.Failures)
            {
                text.Append("- ").AppendLine(failure);
            }
        }

        return text.ToString();
    }

    /// <summary>Prints the report, and writes it (and any extra file, e.g. the SVG) under <paramref name="directory"/> if set.</summary>
    public static void Publish(ResultTable table, string topology, string commandLine, DateTime started, string? directory, string? svg = null)
    {
        var report = Render(table, commandLine, started);
        Console.WriteLine();
        Console.WriteLine(report);
        if (directory is null)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var name = BaseName(table.Workload, topology);
        var path = Path.Combine(directory, name + ".md");
        if (svg is not null)
        {
            File.WriteAllText(Path.Combine(directory, name + ".svg"), svg);
            report += $"\n![p50 and p99 latency against offered load]({name}.svg)\n";
        }

        File.WriteAllText(path, report);
        Console.Error.WriteLine("written: " + Path.GetRelativePath(Environment.CurrentDirectory, path));
    }
}
