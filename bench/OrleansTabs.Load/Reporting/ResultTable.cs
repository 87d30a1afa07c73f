using System.Globalization;
using System.Text;

namespace OrleansTabs.Load.Reporting;

/// <summary>The figures of one workload run: a table (one row per server per step) and notes below it.</summary>
internal sealed class ResultTable(string workload, string title, params string[] columns)
{
    public string Workload { get; } = workload;

    public string Title { get; } = title;

    public IReadOnlyList<string> Columns { get; } = columns;

    public List<string[]> Rows { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Anything that did not run as it should (a server that did not start, failed connects in smoke).</summary>
    public List<string> Failures { get; } = [];

    public void Add(params object?[] cells) => Rows.Add(Row(cells));

    /// <summary>Puts each server's rows together, servers in <paramref name="servers"/>' order, each one's rows in the order they came.</summary>
    public void GroupRows(IEnumerable<string> servers)
    {
        var order = servers.ToList();
        var rows = Rows.OrderBy(r => order.IndexOf(r[0])).ToList();
        Rows.Clear();
        Rows.AddRange(rows);
    }

    /// <summary>A row's cells as the table writes them.</summary>
    public static string[] Row(params object?[] cells) => [.. cells.Select(Cell)];

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", Columns).AppendLine(" |");
        text.Append('|').AppendJoin("", Columns.Select(_ => "---|")).AppendLine();
        foreach (var row in Rows)
        {
            text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        return text.ToString();
    }

    /// <summary>Formats figures: numbers with few digits, NaN as n/a.</summary>
    public static string Cell(object? value) => value switch
    {
        null => "n/a",
        double d when double.IsNaN(d) || double.IsInfinity(d) => "n/a",
        double d when Math.Abs(d) >= 100 => d.ToString("N0", CultureInfo.InvariantCulture),
        double d when Math.Abs(d) >= 10 => d.ToString("F1", CultureInfo.InvariantCulture),
        double d => d.ToString("F2", CultureInfo.InvariantCulture),
        long or int => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
