using System.Globalization;
using System.Net;
using System.Text;

namespace OrleansTabs.Load.Reporting;

/// <summary>
/// A hand-written SVG line plot: p50 (dashed) and p99 (solid) latency in ms on a log scale against offered msg/s per
/// room (log scale), one colour per server.
/// </summary>
internal static class SvgPlot
{
    private const int Width = 760;
    private const int Height = 460;
    private const int Left = 70;
    private const int Right = 150;
    private const int Top = 40;
    private const int Bottom = 60;
    private static readonly string[] Colours = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"];

    /// <summary>One point: offered rate, p50 ms, p99 ms.</summary>
    public sealed record Point(double Offered, double P50, double P99);

    /// <summary>Renders the plot; <paramref name="limitMs"/> draws the pass limit of p99 as a grey line.</summary>
    public static string Render(string title, IReadOnlyList<(string Server, IReadOnlyList<Point> Points)> series, double limitMs)
    {
        var all = series.SelectMany(s => s.Points).ToList();
        var xMin = all.Count == 0 ? 1 : all.Min(p => p.Offered);
        var xMax = all.Count == 0 ? 10 : Math.Max(all.Max(p => p.Offered), xMin * 2);
        var values = all.SelectMany(p => new[] { p.P50, p.P99 }).Where(v => v > 0 && double.IsFinite(v)).ToList();
        var yMin = Math.Pow(10, Math.Floor(Math.Log10(values.Count == 0 ? 0.1 : Math.Max(0.01, values.Min()))));
        var yMax = Math.Pow(10, Math.Ceiling(Math.Log10(values.Count == 0 ? 100 : Math.Max(yMin * 10, values.Max()))));
        double X(double v) => Left + ((Math.Log10(v) - Math.Log10(xMin)) / (Math.Log10(xMax) - Math.Log10(xMin)) * (Width - Left - Right));
        double Y(double v) => Height - Bottom - ((Math.Log10(Math.Clamp(v, yMin, yMax)) - Math.Log10(yMin)) / (Math.Log10(yMax) - Math.Log10(yMin)) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{WebUtility.HtmlEncode(title)}</text>\n"));
        for (var decade = yMin; decade <= yMax * 1.0001; decade *= 10)
        {
            var y = Y(decade);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Width - Right}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Label(decade)}</text>\n"));
        }

        foreach (var x in all.Select(p => p.Offered).Distinct().Order())
        {
            svg.Append(Invariant($"<line x1=\"{X(x):F1}\" y1=\"{Top}\" x2=\"{X(x):F1}\" y2=\"{Height - Bottom}\" stroke=\"#eee\"/>"));
            svg.Append(Invariant($"<text x=\"{X(x):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{Label(x)}</text>\n"));
        }

        if (limitMs > yMin && limitMs < yMax)
        {
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(limitMs):F1}\" x2=\"{Width - Right}\" y2=\"{Y(limitMs):F1}\" stroke=\"#888\" stroke-dasharray=\"2,3\"/>"));
            svg.Append(Invariant($"<text x=\"{Width - Right - 4}\" y=\"{Y(limitMs) - 4:F1}\" text-anchor=\"end\" fill=\"#666\">p99 limit {limitMs:0} ms</text>\n"));
        }

        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#333\"/>\n"));
        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 18}\" text-anchor=\"middle\">offered msg/s per room (log)</text>\n"));
        svg.Append(Invariant($"<text transform=\"translate(18 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">send-to-deliver latency, ms (log)</text>\n"));
        for (var i = 0; i < series.Count; i++)
        {
            var (server, points) = series[i];
            var colour = Colours[i % Colours.Length];
            Line(svg, points.Where(p => p.P99 > 0).Select(p => (X(p.Offered), Y(p.P99))), colour, null);
            Line(svg, points.Where(p => p.P50 > 0).Select(p => (X(p.Offered), Y(p.P50))), colour, "5,4");
            var legend = Top + 10 + (i * 36);
            svg.Append(Invariant($"<line x1=\"{Width - Right + 12}\" y1=\"{legend}\" x2=\"{Width - Right + 36}\" y2=\"{legend}\" stroke=\"{colour}\" stroke-width=\"2\"/>"));
            svg.Append(Invariant($"<text x=\"{Width - Right + 40}\" y=\"{legend + 4}\">{WebUtility.HtmlEncode(server)} p99</text>"));
            svg.Append(Invariant($"<line x1=\"{Width - Right + 12}\" y1=\"{legend + 16}\" x2=\"{Width - Right + 36}\" y2=\"{legend + 16}\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"5,4\"/>"));
            svg.Append(Invariant($"<text x=\"{Width - Right + 40}\" y=\"{legend + 20}\">{WebUtility.HtmlEncode(server)} p50</text>\n"));
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static void Line(StringBuilder svg, IEnumerable<(double X, double Y)> points, string colour, string? dash)
    {
        var list = points.ToList();
        if (list.Count == 0)
        {
            return;
        }

        var path = string.Join(' ', list.Select(p => Invariant($"{p.X:F1},{p.Y:F1}")));
        var dashes = dash is null ? "" : $" stroke-dasharray=\"{dash}\"";
        svg.Append(Invariant($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dashes}/>\n"));
        foreach (var (x, y) in list)
        {
            svg.Append(Invariant($"<circle cx=\"{x:F1}\" cy=\"{y:F1}\" r=\"3\" fill=\"{colour}\"/>"));
        }

        svg.Append('\n');
    }

    private static string Label(double v) => v >= 1 ? Invariant($"{v:0}") : Invariant($"{v:0.###}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
