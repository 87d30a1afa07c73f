using System.Diagnostics;
using System.Globalization;
using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Faults;

/// <summary>
/// The fault rig (<c>faults</c>): starts the split topology as real processes, runs each scenario under its own
/// deadline and the whole run under a global one, prints one summary line per scenario, and stops every process it
/// started, pass or fail. Returns 0 only if every scenario passed.
/// </summary>
internal static class FaultCommand
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellation)
    {
        var total = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(options.Int("--deadline", 600));
        var selected = options.Ints("--scenarios", [.. Scenario.All.Select(s => s.Number)]);
        var pidFile = options.Get("--pid-file", "");
        ChildProcess.PidFile = pidFile.Length > 0 ? pidFile : null;
        using var global = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        global.CancelAfter(deadline);
        Console.Error.WriteLine($"faults: {Machine.Describe()} (at start: {Machine.StartLoad}); global deadline {deadline.TotalSeconds:F0} s");

        var results = new List<ScenarioResult>();
        var extra = options.Get("--settings", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await using (var cluster = await RigCluster.StartAsync(extra, options.Get("--move-silos", "") == "true", global.Token))
        {
            Progress.Line($"faults: redis, 2 silos and 2 front-ends ready after {total.Elapsed.TotalSeconds:F1} s ({cluster.Directory})");
            foreach (var scenario in Scenario.All.Where(s => selected.Contains(s.Number)))
            {
                var result = await RunOneAsync(cluster, scenario, global, cancellation);
                results.Add(result);
                Progress.Line(result.Summary());
                if (global.IsCancellationRequested)
                {
                    break;
                }
            }

            cluster.Keep = options.Keep || results.Any(r => !r.Passed);
            if (cluster.Keep)
            {
                Progress.Line($"faults: logs and data kept in {cluster.Directory}");
            }
        }

        Console.WriteLine();
        foreach (var result in results)
        {
            Console.WriteLine(result.Summary());
            foreach (var line in result.Failures.Select(f => "    FAILED: " + f).Concat(result.Notes.Select(n => "    " + n)))
            {
                Console.WriteLine(line);
            }
        }

        var skipped = selected.Count - results.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"faults: {results.Count(r => r.Passed)} passed, {results.Count(r => !r.Passed)} failed{(skipped > 0 ? $", {skipped} not run (global deadline)" : "")}, total {total.Elapsed.TotalSeconds:F0} s"));
        return results.All(r => r.Passed) && skipped == 0 ? 0 : 1;
    }

    private static async Task<ScenarioResult> RunOneAsync(RigCluster cluster, Scenario scenario, CancellationTokenSource global, CancellationToken cancellation)
    {
        var result = new ScenarioResult(scenario.Number, scenario.Name);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(global.Token);
        limit.CancelAfter(scenario.Deadline);
        Progress.Line($"scenario {scenario.Number} {scenario.Name} (deadline {scenario.Deadline.TotalSeconds:F0} s)");
        var marks = cluster.LogMarks();
        try
        {
            await scenario.RunAsync(cluster, result, limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            result.Failures.Add(global.IsCancellationRequested ? "stopped by the global deadline" : $"not done within its deadline ({scenario.Deadline.TotalSeconds:F0} s)");
        }
        catch (Exception ex) when (!cancellation.IsCancellationRequested)
        {
            result.Failures.Add($"{ex.GetType().Name}: {ex.Message}");
        }

        if (!result.Passed)
        {
            // What the servers said meanwhile: the kept logs are gone with a CI machine, this output is not.
            result.Notes.AddRange(cluster.WarningsSince(marks, perProcess: 12).Select(line => "log " + line));
        }

        // Whatever the scenario left behind (a frozen, killed or stopped process) is brought back for the next one.
        try
        {
            using var heal = CancellationTokenSource.CreateLinkedTokenSource(global.Token);
            heal.CancelAfter(TimeSpan.FromSeconds(60));
            var watch = Stopwatch.StartNew();
            await cluster.HealAsync(heal.Token);
            var canaryFailures = await cluster.CanaryAsync(heal.Token);
            result.Notes.Add($"deployment whole again {watch.Elapsed.TotalSeconds:F1} s after the scenario (new tabs connect and join{(canaryFailures > 0 ? $"; {canaryFailures} canary rounds failed first" : "")})");
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            result.Failures.Add($"the deployment did not come back after the scenario: {ex.Message}");
            global.Cancel();
        }

        return result;
    }
}
