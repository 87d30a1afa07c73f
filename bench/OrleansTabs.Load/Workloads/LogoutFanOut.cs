using System.Diagnostics;
using OrleansTabs.Load.Client;
using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Workloads;

/// <summary>
/// W4 (OrleansTabs, split, 2 front-ends): sessions whose tabs are spread over both front-ends; each session logs out
/// through one front-end, and the time until the last of its tabs got close 4501 is measured. The first
/// <c>--warmup-sessions</c> (2, one per front-end) log out the same way first and are reported apart: they run the
/// logout path's code for the first time on each process (JIT), which says nothing about a running deployment.
/// </summary>
internal static class LogoutFanOut
{
    private static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(5);

    public static async Task<ResultTable> RunAsync(LoadOptions options, CancellationToken cancellation)
    {
        var sessions = options.Int("--sessions", 20);
        var perSession = options.Int("--tabs-per-session", 50);
        var warmups = options.Int("--warmup-sessions", 2);
        var topology = options.Get("--topology", "split");
        var frontEnds = topology == "split" ? 2 : 1;
        var table = new ResultTable("w4", $"W4 logout fan-out: {sessions} sessions x {perSession} tabs over {frontEnds} front-ends ({topology})",
            "server", "sessions", "tabs", "p50 ms", "p99 ms", "max ms", "tabs closed 4501", "other closes", "not closed in 5 s");
        await using var deployment = await Launcher.StartAsync(ServerKind.OrleansTabs, topology, frontEnds, cancellation);
        deployment.KeepDirectory = options.Keep;
        var fleet = new Fleet(OrleansTabsWire.Instance, (warmups + sessions) * perSession, perSession, perSession, TabSink.None);
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var pings = fleet.HeartbeatAsync(heartbeat.Token);
        try
        {
            // Tabs alternate between the front-ends, so that every session has tabs on both.
            var connect = await fleet.ConnectAllAsync(t => deployment.FrontEnds[t.Index % frontEnds], "w4 connect", cancellation);
            if (connect.Failed > 0)
            {
                throw new InvalidOperationException($"{connect.Failed} tabs did not connect ({connect.FirstFailure}).");
            }

            var latency = new Histogram();
            var warmupMs = new List<double>();
            var eachMs = new List<double>();
            int closed4501 = 0, other = 0, open = 0;
            for (var s = 0; s < warmups + sessions; s++)
            {
                var measured = s >= warmups;
                var session = fleet.Sessions[s];
                var tabs = fleet.Tabs.Where(t => t.Session == session).ToList();
                var start = Stopwatch.GetTimestamp();
                var status = await session.LogoutAsync(deployment.FrontEnds[s % frontEnds], cancellation);
                if (status != 204)
                {
                    table.Failures.Add($"session {s}: POST /auth/logout answered {status}");
                }

                var closes = Task.WhenAll(tabs.Select(t => t.Closed));
                await Task.WhenAny(closes, Task.Delay(CloseDeadline, cancellation));
                var codes = tabs.Select(t => t.CloseCode).ToList();
                var ms = codes.All(c => c != 0) ? (tabs.Max(t => t.ClosedAt) - start) * 1000.0 / Stopwatch.Frequency : double.NaN;
                if (!measured)
                {
                    warmupMs.Add(ms);
                    await Task.Delay(200, cancellation);
                    continue;
                }

                closed4501 += codes.Count(c => c == 4501);
                other += codes.Count(c => c is not 4501 and not 0);
                open += codes.Count(c => c == 0);
                eachMs.Add(ms);
                if (!double.IsNaN(ms))
                {
                    latency.Record((long)(ms * 1000));
                }

                Progress.Show($"w4: {s + 1 - warmups}/{sessions} sessions logged out, p99 {latency.PercentileMs(0.99):F1} ms");
                await Task.Delay(200, cancellation);
            }

            table.Add("orleanstabs", sessions, sessions * perSession, latency.PercentileMs(0.5), latency.PercentileMs(0.99), latency.MaxMs, closed4501, other, open);
            table.Notes.Add("Per session: from sending POST /auth/logout (through front-end 1 or 2 in turn) to the arrival of the close frame at the last of its tabs. Sessions log out one after another, 200 ms apart.");
            table.Notes.Add($"Each session in order, ms: {string.Join(", ", eachMs.Select(m => m.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}; the {warmups} warm-up sessions before them (not in the table): {string.Join(", ", warmupMs.Select(m => m.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}.");
        }
        finally
        {
            await heartbeat.CancelAsync();
            await pings;
            await fleet.AbortAllAsync();
        }

        return table;
    }
}
