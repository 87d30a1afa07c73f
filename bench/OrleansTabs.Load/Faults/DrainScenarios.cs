using System.Diagnostics;
using System.Globalization;

namespace OrleansTabs.Load.Faults;

/// <summary>
/// Scenario 12: SIGTERM front-end A during chat traffic. A drains (docs/deployment.md, "Graceful drain"): every socket
/// it holds is closed with 1001, the closes spread over its drain window, and each tab resumes on B; nothing acked is
/// lost or duplicated, no tab ends, and A exits on its own with 0, its log free of errors.
/// </summary>
internal static class DrainScenarios
{
    /// <summary>The rig's drain window (every front-end gets it): short, to keep the run short, long enough to spread.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(4);

    /// <summary>How long A may take to stop: the window, the close timeout, the cluster client's stop, a loaded machine.</summary>
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);

    /// <summary>The scenario's tabs, half of them on A: enough that "spread" and "all at once" differ clearly.</summary>
    private const int Tabs = 32;

    public static Task DrainFrontEndAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation)
    {
        var web = cluster.Webs[0];
        int? exitCode = null;
        string[] errors = [];
        return FailureScenarios.RunAsync(cluster, result, "s12", async traffic =>
        {
            var mark = cluster.LogMarks()[web];
            var process = cluster.Process(web);
            await cluster.StopAsync(web, StopLimit);
            exitCode = process.ExitCode;
            errors = [.. cluster.LogSince(web, mark).Where(line => line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal))];
            return Stopwatch.GetTimestamp();
        }, "SIGTERM to every tab resumed and every send acked", cancellation, tabs: Tabs, check: traffic =>
        {
            result.Expect(exitCode == 0, $"the drained front-end exited with {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "no code"} (killed after {StopLimit.TotalSeconds:F0} s?)");
            result.Expect(errors.Length == 0, $"the drained front-end logged {errors.Length} errors, first: {errors.FirstOrDefault()}");
            CheckSpread(traffic, result);
        });
    }

    /// <summary>
    /// Every tab of A closed once with 1001 and resumed, no tab of B closed, and the resumes spread: their peak in any one
    /// second (from the first close) is at most half of A's tabs, where closing every socket at once would put them all
    /// in the first second.
    /// </summary>
    private static void CheckSpread(Traffic traffic, ScenarioResult result)
    {
        var drained = traffic.On(0).Count;
        var reconnections = traffic.Reconnections.ToList();
        var fromA = reconnections.Where(r => r.From == 0).ToList();
        result.Expect(reconnections.All(r => r.Code == 1001), $"closes other than 1001: {string.Join(", ", reconnections.Where(r => r.Code != 1001).GroupBy(r => r.Code).Select(g => $"{g.Count()} x {g.Key}"))}");
        result.Expect(fromA.Count == drained && fromA.Select(r => r.Tab).Distinct().Count() == drained, $"{fromA.Count} closes of A's {drained} tabs");
        result.Expect(reconnections.All(r => r.From == 0), $"{reconnections.Count(r => r.From != 0)} tabs of B closed");
        result.Expect(fromA.All(r => r.ResumedAt is not null), $"{fromA.Count(r => r.ResumedAt is null)} of A's tabs never resumed");
        if (fromA.Count == 0 || fromA.Any(r => r.ResumedAt is null))
        {
            return;
        }

        var first = fromA.Min(r => r.ClosedAt);
        var perSecond = fromA.GroupBy(r => (int)Stopwatch.GetElapsedTime(first, r.ResumedAt!.Value).TotalSeconds).ToDictionary(g => g.Key, g => g.Count());
        var peak = perSecond.Values.Max();
        var closesOver = Stopwatch.GetElapsedTime(first, fromA.Max(r => r.ClosedAt)).TotalSeconds;
        result.Extra = string.Create(CultureInfo.InvariantCulture, $"resumes/s peak {peak} of {drained}");
        result.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"A's {drained} tabs closed with 1001 over {closesOver:F1} s (window {Window.TotalSeconds:F0} s), resumed on B per second: {string.Join(" ", Enumerable.Range(0, perSecond.Keys.Max() + 1).Select(s => perSecond.GetValueOrDefault(s)))}"));
        result.Expect(peak <= drained / 2, $"{peak} of {drained} drained tabs resumed in one second (at most {drained / 2})");
    }
}
