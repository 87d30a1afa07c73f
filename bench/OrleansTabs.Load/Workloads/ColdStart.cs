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
        foreach (var kind in options.Smoke ? options.Servers(Smoke.AllServers) : options.Servers(ServerKind.OrleansTabs))
        {
            for (var start = 1; start <= starts; start++)
            {
                var launched = Stopwatch.StartNew();
                Deployment deployment;
                try
                {
                    deployment = await Launcher.StartAsync(kind, options.Topology, 1, cancellation);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    table.Failures.Add($"{kind.Name()} start {start}: {ex.Message}");
                    continue;
                }

                var ready = launched.Elapsed.TotalSeconds;
                await using (deployment)
                {
                    deployment.KeepDirectory = options.Keep;
                    var figures = new ServerFigures(deployment);
                    var fleet = new Fleet(kind.Wire(), tabs, 100, 10, Client.TabSink.None);
                    var result = await fleet.ConnectAsync(_ => deployment.FrontEnds[0], 50, $"w0 {kind.Name()} start {start}", cancellation);
                    table.Add(kind.Name(), start, ready, tabs, result.Failed, result.PerSecond, result.Latency.PercentileMs(0.5),
                        result.Latency.PercentileMs(0.99), result.Latency.MaxMs, result.Stalls > 0 ? $"yes ({result.Stalls})" : "no",
                        figures.ServerCpuPercent, figures.ClientCpuPercent);
                    if (result.Failed > 0)
                    {
                        table.Notes.Add($"{kind.Name()} start {start}: {result.Failed} connects failed, first: {result.FirstFailure}");
                        if (options.Smoke && result.Failed == tabs)
                        {
                            table.Failures.Add($"{kind.Name()}: {result.Failed} connects failed ({result.FirstFailure})");
                        }
                    }

                    Progress.Line($"w0 {kind.Name()} start {start}: ready in {ready:F1} s, {result.PerSecond:N0} connects/s, max {result.Latency.MaxMs:N0} ms, failed {result.Failed}");
                    await fleet.AbortAllAsync();
                }
            }
        }

        table.Notes.Add("ready s: from starting the process to the first 200 of /health/ready. A connect is the WebSocket upgrade plus `join` answered by `joined`; its latency excludes the sign-in (one per 10 tabs), connects/s includes it. CPU in % of one core over the connect phase.");
        return table;
    }
}
