using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansTabs.Load.Client;
using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Workloads;

/// <summary>
/// W3 (OrleansTabs, all-in-one): tabs chatting in rooms, then the server is killed and started again on the same
/// Garnet data and port; every tab reconnects with <c>resume</c>, senders resend what was not acked. Counts the time
/// until every tab is resumed, lost and duplicated messages, and resets.
/// </summary>
internal static class ReconnectStorm
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static async Task<ResultTable> RunAsync(LoadOptions options, CancellationToken cancellation)
    {
        var tabs = options.Int("--tabs", 5000);
        var rooms = options.Int("--rooms", 50);
        var rate = options.Double("--rate", 5);
        var chat = TimeSpan.FromSeconds(options.Double("--chat-seconds", 10));
        var fresh = options.Get("--fresh-instance", "") == "true";
        var table = new ResultTable("w3", $"W3 reconnect storm: {tabs:N0} tabs in {rooms} rooms, one sender per room at {rate} msg/s, server killed and restarted",
            "server", "tabs", "restart ready s", "all resumed s", "p50 resumed s", "not resumed", "attempts", "acked sends", "lost", "missing deliveries", "duplicated", "reposted", "resets");

        await using var deployment = await Launcher.StartAsync(ServerKind.OrleansTabs, "allinone", 1, cancellation);
        deployment.KeepDirectory = options.Keep;
        var sink = new ReconnectSink(tabs);
        var fleet = new Fleet(OrleansTabsWire.Instance, tabs, tabs / rooms, 10, sink);
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var pings = fleet.HeartbeatAsync(heartbeat.Token);
        try
        {
            var connect = await fleet.ConnectAllAsync(_ => deployment.FrontEnds[0], "w3 connect", cancellation);
            if (connect.Failed > 0)
            {
                throw new InvalidOperationException($"{connect.Failed} tabs did not connect ({connect.FirstFailure}).");
            }

            var senders = new Senders(fleet.Tabs.Where(t => t.Index % (tabs / rooms) == 0).ToList(), sink);
            using var chatting = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var sending = senders.RunAsync(rate, chatting.Token);
            await Task.Delay(chat, cancellation);

            Progress.Line("w3: killing the server");
            var killed = Stopwatch.GetTimestamp();
            var reconnects = fleet.Tabs.Select(t => ReconnectOnceAsync(t, deployment, fresh, cancellation)).ToList();
            var ready = await RestartAsync(deployment, cancellation);
            Progress.Line($"w3: server ready again after {ready:F1} s");
            var watch = Stopwatch.StartNew();
            var all = Task.WhenAll(reconnects);
            while (!all.IsCompleted && watch.Elapsed < Deadline)
            {
                Progress.Show($"w3: {fleet.Tabs.Count(t => t.Ready):N0}/{tabs:N0} tabs resumed, {Stopwatch.GetElapsedTime(killed).TotalSeconds:F0} s since the kill");
                await Task.WhenAny(all, Task.Delay(250, cancellation));
            }

            // Every reconnect loop gives up by itself at its deadline, so this wait is bounded.
            var attempts = (await all).Sum();
            var resumed = fleet.Tabs.Where(t => t.ResumedAt > killed).Select(t => (t.ResumedAt - killed) / (double)Stopwatch.Frequency).Order().ToList();
            Progress.Line($"w3: {resumed.Count:N0}/{tabs:N0} tabs resumed, the last {(resumed.Count > 0 ? resumed[^1] : double.NaN):F1} s after the kill");

            // Chat on for a while after the storm, then let every send be acked and every message arrive.
            await Task.Delay(chat / 2, cancellation);
            await chatting.CancelAsync();
            await sending;
            await senders.ResendUntilAckedAsync(TimeSpan.FromSeconds(30), cancellation);
            var (lost, missing, detail) = await sink.DrainAsync(fleet.Tabs, killed, TimeSpan.FromSeconds(30), "w3", cancellation);
            if (detail.Length > 0)
            {
                table.Notes.Add(detail);
            }

            table.Add("orleanstabs", tabs, ready, resumed.Count == tabs ? resumed[^1] : double.NaN, resumed.Count > 0 ? resumed[resumed.Count / 2] : double.NaN,
                tabs - resumed.Count, attempts, sink.Acked.Values.Sum(r => r.Count), lost, missing, sink.Duplicates, sink.Reposted, sink.Resets);
            table.Notes.Add($"Reconnects follow docs/protocol.md: backoff 0.5 s doubling to 30 s with full jitter, same tab id, {(fresh ? "a fresh" : "the same (per page load)")} instance id, cookies kept, `resume` from the last offset seen. all resumed s: from the kill to the last `resumed`.");
            table.Notes.Add("lost: acked sends that some member never received (by the sequence number in the text); missing deliveries: (member, message) pairs missing; duplicated: a member got the same room offset twice; reposted: a member got the same send at two offsets (posted twice).");
            table.Notes.Add($"{sink.Errors} error frames{(sink.FirstError is { } e ? ", first: `" + e + "`" : "")}; {senders.Unacked} sends never acked.");
        }
        finally
        {
            await heartbeat.CancelAsync();
            await pings;
            await fleet.AbortAllAsync();
        }

        return table;
    }

    /// <summary>Kills the server and starts it on the same port and data; on a new port if the old one is refused.</summary>
    private static async Task<double> RestartAsync(Deployment deployment, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        var process = await deployment.CrashAndRestartAsync(spec => spec);
        try
        {
            await Launcher.WaitReadyAsync(process, deployment.FrontEnds[0], cancellation);
        }
        catch (InvalidOperationException) when (process.HasExited)
        {
            var port = Launcher.FreePort();
            process = await deployment.CrashAndRestartAsync(spec => Launcher.AllInOne(deployment.Directory, port));
            await Launcher.WaitReadyAsync(process, deployment.FrontEnds[0], cancellation);
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Waits for the tab's connection to end, then reconnects with backoff and resumes; returns the attempts.</summary>
    private static async Task<int> ReconnectOnceAsync(Tab tab, Deployment deployment, bool fresh, CancellationToken cancellation)
    {
        await tab.Closed.WaitAsync(Deadline, cancellation);
        return await Reconnect.WithBackoffAsync(tab, _ => deployment.FrontEnds[0], fresh, Reconnect.MaxDelay, Deadline, cancellation);
    }
}
