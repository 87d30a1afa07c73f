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
            var reconnects = fleet.Tabs.Select(t => ReconnectAsync(t, () => deployment.FrontEnds[0], fresh, cancellation)).ToList();
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
            var (lost, missing, detail) = await DrainAsync(fleet, sink, killed, TimeSpan.FromSeconds(30), cancellation);
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
    private static async Task<int> ReconnectAsync(Tab tab, Func<Uri> server, bool fresh, CancellationToken cancellation)
    {
        await tab.Closed.WaitAsync(Deadline, cancellation);
        var attempt = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Deadline)
        {
            var cap = Math.Min(30, 0.5 * Math.Pow(2, attempt));
            await Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() * cap), cancellation);
            attempt++;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await tab.Session.SignInAsync(server(), deadline.Token);
                await tab.ConnectAsync(server(), deadline.Token, fresh);
                await tab.ResumeAsync(deadline.Token);
                return attempt;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
            {
                tab.Abort();
            }
        }

        return attempt;
    }

    /// <summary>Waits until every member has every acked message of its room (or the deadline); returns what is missing.</summary>
    private static async Task<(long Lost, long Missing, string Detail)> DrainAsync(Fleet fleet, ReconnectSink sink, long killed, TimeSpan deadline, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var lost = new HashSet<long>();
            long missing = 0, beforeKill = 0, afterResume = 0;
            foreach (var tab in fleet.Tabs)
            {
                if (!sink.Acked.TryGetValue(tab.Room, out var acked))
                {
                    continue;
                }

                foreach (var seq in acked.Keys)
                {
                    if (!sink.Received(tab, seq))
                    {
                        missing++;
                        lost.Add(seq);
                        var ackedAt = sink.AckedAt.GetValueOrDefault(seq);
                        beforeKill += ackedAt < killed ? 1 : 0;
                        afterResume += ackedAt > tab.ResumedAt && tab.ResumedAt > killed ? 1 : 0;
                    }
                }
            }

            if (missing == 0 || watch.Elapsed > deadline)
            {
                var offsets = lost.Select(seq => fleet.Tabs.Select(t => sink.Acked.GetValueOrDefault(t.Room)?.GetValueOrDefault(seq, -1) ?? -1).Max()).Order().ToList();
                var detail = missing == 0 ? "" : $"Missing deliveries: {beforeKill} of messages acked before the kill, {afterResume} acked after the member's own `resumed` (missed live), {missing - beforeKill - afterResume} in between (missed by replay); lost offsets: {string.Join(", ", offsets.Take(12))}{(offsets.Count > 12 ? ", ..." : "")}.";
                return (lost.Count, missing, detail);
            }

            Progress.Show($"w3 drain: {missing:N0} deliveries of {lost.Count:N0} acked messages still missing");
            await Task.Delay(500, cancellation);
        }
    }

    /// <summary>One sender per room: sends at a rate, keeps unacked sends, resends them with the same ids on a new connection.</summary>
    private sealed class Senders(IReadOnlyList<Tab> tabs, ReconnectSink sink)
    {
        private readonly ConcurrentDictionary<long, (Tab Tab, byte[] Frame)> _pending = new();
        private long _seq;

        public int Unacked => _pending.Count(p => !Acked(p.Value.Tab, p.Key));

        public Task RunAsync(double rate, CancellationToken stop) => Task.WhenAll(tabs.Select(tab => SendLoopAsync(tab, rate, stop)));

        public async Task ResendUntilAckedAsync(TimeSpan deadline, CancellationToken cancellation)
        {
            var watch = Stopwatch.StartNew();
            while (Unacked > 0 && watch.Elapsed < deadline)
            {
                await Task.Delay(2000, cancellation);
                foreach (var (seq, (tab, frame)) in _pending.OrderBy(p => p.Key))
                {
                    if (!Acked(tab, seq) && tab.Ready)
                    {
                        await TrySendAsync(tab, frame);
                    }
                }
            }
        }

        private async Task SendLoopAsync(Tab tab, double rate, CancellationToken stop)
        {
            var generation = tab.Generation;
            var interval = TimeSpan.FromSeconds(1 / rate);
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if (!tab.Ready)
                    {
                        await Task.Delay(50, stop);
                        continue;
                    }

                    if (tab.Generation != generation)
                    {
                        // A new connection: resend every unacked message of this sender, in order, with its id.
                        generation = tab.Generation;
                        foreach (var (seq, (_, frame)) in _pending.Where(p => p.Value.Tab == tab && !Acked(tab, p.Key)).OrderBy(p => p.Key).ToList())
                        {
                            await TrySendAsync(tab, frame);
                        }
                    }

                    var next = Interlocked.Increment(ref _seq);
                    var text = MessageText.Format(1, next, Stopwatch.GetTimestamp());
                    var message = tab.Wire.Send(tab.Room, next, text);
                    _pending[next] = (tab, message);
                    await TrySendAsync(tab, message);
                    await Task.Delay(interval, stop);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private bool Acked(Tab tab, long seq) => sink.Acked.TryGetValue(tab.Room, out var room) && room.ContainsKey(seq);

        private static async Task TrySendAsync(Tab tab, byte[] frame)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await tab.SendAsync(frame, timeout.Token);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // The connection is gone: the message stays pending and is resent on the next one.
            }
        }
    }
}
