using System.Diagnostics;
using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Workloads;

/// <summary>W0: a fresh server, and right after <c>/health/ready</c>, 1,000 tabs connecting 50 at a time.</summary>
internal static class ColdStart
{
    public static async Task<ResultTable> RunAsync(LoadOptions options, CancellationToken cancellation)
    {
        var starts = options.Int("--starts", options.Smoke ? 1 : 3);
        var tabs = options.Int("--tabs", options.Smoke ? 100 : 1000);
        var table = new ResultTable("w0", $"W0 cold start: {tabs:N0} tabs right after ready, 50 in flight, sessions of 10 tabs",
            "server", "start", "ready s", "tabs", "failed", "connects/s", "p50 ms", "p99 ms", "max ms", "stalls > 5 s", "server CPU %", "client CPU %");

        // Each start runs on every server in turn (in reverse order every other start), as W1 and W2 step theirs.
        var choices = options.Choices(options.Smoke ? Smoke.AllServers : [ServerKind.OrleansTabs]);
        for (var start = 1; start <= starts; start++)
        {
            foreach (var choice in start % 2 == 1 ? choices : Enumerable.Reverse(choices))
            {
                await StartAsync(options, choice, start, tabs, table, cancellation);
            }
        }

        table.GroupRows(choices.Select(c => c.Name));
        table.Notes.Add("Each start runs on every server in turn (the order reversed every other start).");
        table.Notes.Add("ready s: from starting the deployment (redis-server first, where it has one) until every front-end answered /health/ready with 200. A connect is the WebSocket upgrade plus `join` answered by `joined`; its latency excludes the sign-in (one per 10 tabs), connects/s includes it. CPU in % of one core over the connect phase, summed over every process of the deployment (redis-server included). Split, the tabs alternate between the front-ends.");
        return table;
    }

    /// <summary>One cold start of one server: started, and right after ready its tabs connect.</summary>
    private static async Task StartAsync(LoadOptions options, ServerChoice choice, int start, int tabs, ResultTable table, CancellationToken cancellation)
    {
        var kind = choice.Kind;
        var launched = Stopwatch.StartNew();
        Deployment deployment;
        try
        {
            deployment = await Launcher.StartAsync(choice, options.Topology, options.FrontEnds, cancellation, options.Silos);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            table.Failures.Add($"{choice.Name} start {start}: {ex.Message}");
            return;
        }

        var ready = launched.Elapsed.TotalSeconds;
        await using (deployment)
        {
            deployment.KeepDirectory = options.Keep;
            var figures = new ServerFigures(deployment);
            var fleet = new Fleet(kind.Wire(), tabs, 100, 10, Client.TabSink.None);
            var result = await fleet.ConnectAsync(t => deployment.FrontEnds[t.Index % deployment.FrontEnds.Count], 50, $"w0 {choice.Name} start {start}", cancellation);
            table.Add(choice.Name, start, ready, tabs, result.Failed, result.PerSecond, result.Latency.PercentileMs(0.5),
                result.Latency.PercentileMs(0.99), result.Latency.MaxMs, result.Stalls > 0 ? $"yes ({result.Stalls})" : "no",
                figures.ServerCpuPercent, figures.ClientCpuPercent);
            if (figures.Roles() is { } roles)
            {
                table.Notes.Add($"{choice.Name} start {start}, by role over the connects: {roles}.");
            }
            if (result.Failed > 0)
            {
                table.Notes.Add($"{choice.Name} start {start}: {result.Failed} connects failed, first: {result.FirstFailure}");
                if (options.Smoke && result.Failed == tabs)
                {
                    table.Failures.Add($"{choice.Name}: {result.Failed} connects failed ({result.FirstFailure})");
                }
            }

            Progress.Line($"w0 {choice.Name} start {start}: ready in {ready:F1} s, {result.PerSecond:N0} connects/s, max {result.Latency.MaxMs:N0} ms, failed {result.Failed}");
            await fleet.AbortAllAsync();
        }
    }
}
