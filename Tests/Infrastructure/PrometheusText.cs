using System.Globalization;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>Reads series out of a <c>/metrics</c> page (Prometheus text format).</summary>
public static class PrometheusText
{
    /// <summary>
    /// The sum of every sample of <paramref name="metric"/> whose labels include each of <paramref name="labels"/>
    /// (written as <c>name="value"</c>); null when there is no such sample.
    /// </summary>
    public static double? Sum(string text, string metric, params string[] labels)
    {
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[metric.Length..];
            if (!(rest.StartsWith('{') || rest.StartsWith(' ')) || labels.Any(l => !rest.Contains(l, StringComparison.Ordinal)))
            {
                continue;
            }

            var value = rest[(rest.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            sum = (sum ?? 0) + double.Parse(value, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
