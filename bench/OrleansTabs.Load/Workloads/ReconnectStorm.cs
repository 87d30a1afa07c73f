using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansTabs.Load.Client;
using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Workloads;

/// <summary>
/// W3: tabs chatting in rooms, every one on the same front-end, then that front-end is killed (SIGKILL) and started
/// again; every tab reconnects with <c>resume</c> (SignalR, which has none: joins again), senders resend what was not
/// acked. All-in-one, the front-end is the whole server, started again on the same Garnet data and port. Split
/// (OrleansTabs: silos, 2 front-ends, redis-server; signalr-redis: 2 SignalR servers on their backplane), the tabs
/// reconnect through a reverse proxy (<see cref="LoadBalancer"/>) to whichever front-end takes them, as in a
/// deployment. Counts the time until every tab is resumed, lost and duplicated messages, resets, and the CPU of every
/// process of the deployment. Each server of <c>--servers</c> (orleanstabs) runs in turn.
/// </summary>
internal static class ReconnectStorm
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>How long the proxy sends nothing to a front-end that refused a connection (nginx's default fail_timeout).</summary>
    private static readonly TimeSpan FailTimeout = TimeSpan.FromSeconds(10);

    public static async Task<ResultTable> RunAsync(LoadOptions options, CancellationToken cancellation)
    {
        var tabs = options.Int("--tabs", 5000);
        var rooms = options.Int("--rooms", 50);
        var rate = options.Double("--rate", 5);
        var chat = TimeSpan.FromSeconds(options.Double("--chat-seconds", 10));
        var fresh = options.Get("--fresh-instance", "") == "true";
        var split = options.Topology == "split";
        var title = split
            ? $"front-end killed and restarted (split: {options.FrontEnds} front-ends behind a reverse proxy; orleanstabs on {options.Silos} silos and redis-server, signalr-redis on its backplane)"
            : "server killed and restarted (all-in-one)";
        var table = new ResultTable("w3", $"W3 reconnect storm: {tabs:N0} tabs in {rooms} rooms on one front-end, one sender per room at {rate} msg/s, {title}",
            "server", "tabs", "restart ready s", "all resumed s", "p50 resumed s", "not resumed", "attempts", "acked sends", "lost", "missing deliveries", "duplicated", "reposted", "resets",
            "chat CPU %", "storm CPU s");
        var choices = options.Choices(ServerKind.OrleansTabs);
        foreach (var choice in choices)
        {
            try
            {
                await RunAsync(options, choice, tabs, rooms, rate, chat, fresh, table, cancellation);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
            {
                table.Failures.Add($"{choice.Name}: {ex.Message}");
            }
        }

        table.Notes.Add($"Reconnects follow docs/protocol.md: backoff 0.5 s doubling to 30 s with full jitter, same tab id, {(fresh ? "a fresh" : "the same (per page load)")} instance id, cookies kept, `resume` from the last offset seen. all resumed s: from the kill to the last `resumed`. SignalR has no resume: a tab joins its room again (counted as resumed), and what was sent to the room meanwhile does not reach it.");
        if (split)
        {
            table.Notes.Add($"The reverse proxy (nginx's defaults: proxy_next_upstream error, max_fails 1, fail_timeout {FailTimeout.TotalSeconds:F0} s) sends each attempt round robin to a front-end not marked down and passes a refused connection on to the other at once; attempts counts the tabs' own attempts.");
        }

        table.Notes.Add("lost: acked sends that some member never received (by the sequence number in the text); missing deliveries: (member, message) pairs missing; duplicated: a member got the same room offset twice (n/a for SignalR, whose servers count offsets each on their own); reposted: a member got the same send twice (at two offsets: posted twice).");
        table.Notes.Add("chat CPU %: every process of the deployment (redis-server included) over the chat before the kill, in % of one core; storm CPU s: their CPU seconds from the kill until every tab is back (or gave up), the restarted process's start included.");
        return table;
    }

    private static async Task RunAsync(LoadOptions options, ServerChoice choice, int tabs, int rooms, double rate, TimeSpan chat, bool fresh, ResultTable table, CancellationToken cancellation)
    {
        var split = options.Topology == "split";
        var kind = choice.Kind;
        await using var deployment = await Launcher.StartAsync(choice, split ? "split" : "allinone", options.FrontEnds, cancellation, options.Silos);
        deployment.KeepDirectory = options.Keep;
        var balancer = split ? new LoadBalancer(deployment.FrontEnds, FailTimeout) : null;
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var sink = new ReconnectSink(tabs, offsetsShared: kind.Wire().Resumes);
        var fleet = new Fleet(kind.Wire(), tabs, tabs / rooms, 10, sink);
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var pings = fleet.HeartbeatAsync(heartbeat.Token);
        try
        {
            var connect = await fleet.ConnectAllAsync(_ => deployment.FrontEnds[0], $"w3 {choice.Name} connect", cancellation);
            if (connect.Failed > 0)
            {
                throw new InvalidOperationException($"{connect.Failed} tabs did not connect ({connect.FirstFailure}).");
            }

            var senders = new Senders(fleet.Tabs.Where(t => t.Index % (tabs / rooms) == 0).ToList(), sink);
            using var chatting = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var chatFigures = new ServerFigures(deployment);
            var sending = senders.RunAsync(rate, chatting.Token);
            await Task.Delay(chat, cancellation);
            var chatCpu = chatFigures.ServerCpuPercent;
            var chatRoles = chatFigures.Roles();

            Progress.Line($"w3 {choice.Name}: killing the {(split ? "front-end" : "server")}");
            var killed = Stopwatch.GetTimestamp();
            var stormCpu = deployment.CpuSeconds();
            var stormFigures = new ServerFigures(deployment);
            var reconnects = fleet.Tabs.Select(t => ReconnectOnceAsync(t, deployment, balancer, fresh, failures, cancellation)).ToList();
            var ready = await RestartAsync(deployment, kind, split, cancellation);
            Progress.Line($"w3 {choice.Name}: {(split ? "front-end" : "server")} ready again after {ready:F1} s");
            var watch = Stopwatch.StartNew();
            var all = Task.WhenAll(reconnects);
            while (!all.IsCompleted && watch.Elapsed < Deadline)
            {
                Progress.Show($"w3 {choice.Name}: {fleet.Tabs.Count(t => t.Ready):N0}/{tabs:N0} tabs resumed, {Stopwatch.GetElapsedTime(killed).TotalSeconds:F0} s since the kill");
                await Task.WhenAny(all, Task.Delay(250, cancellation));
            }

            // Every reconnect loop gives up by itself at its deadline, so this wait is bounded.
            var attempts = (await all).Sum();
            stormCpu = deployment.CpuSeconds() - stormCpu;
            var stormRoles = stormFigures.Roles();
            var resumed = fleet.Tabs.Where(t => t.ResumedAt > killed).Select(t => (t.ResumedAt - killed) / (double)Stopwatch.Frequency).Order().ToList();
            Progress.Line($"w3 {choice.Name}: {resumed.Count:N0}/{tabs:N0} tabs resumed, the last {(resumed.Count > 0 ? resumed[^1] : double.NaN):F1} s after the kill");

            // Chat on for a while after the storm, then let every send be acked and every message arrive.
            await Task.Delay(chat / 2, cancellation);
            await chatting.CancelAsync();
            await sending;
            await senders.ResendUntilAckedAsync(TimeSpan.FromSeconds(30), cancellation);
            var (lost, missing, detail) = await sink.DrainAsync(fleet.Tabs, killed, TimeSpan.FromSeconds(30), $"w3 {choice.Name}", cancellation);
            if (detail.Length > 0)
            {
                table.Notes.Add($"{choice.Name}: {detail}");
            }

            table.Add(choice.Name, tabs, ready, resumed.Count == tabs ? resumed[^1] : double.NaN, resumed.Count > 0 ? resumed[resumed.Count / 2] : double.NaN,
                tabs - resumed.Count, attempts, sink.Acked.Values.Sum(r => r.Count), lost, missing, kind.Wire().Resumes ? sink.Duplicates : null, sink.Reposted, sink.Resets,
                chatCpu, stormCpu);
            if (balancer is not null)
            {
                table.Notes.Add($"{choice.Name}: {balancer.PassedOn:N0} connections passed on by the reverse proxy.");
            }

            if (chatRoles is not null)
            {
                table.Notes.Add($"{choice.Name} by role: the chat {chatRoles}; the storm {stormRoles} (RSS at its end).");
            }

            table.Notes.Add($"{choice.Name} failed attempts: " + (failures.IsEmpty ? "none" : string.Join(", ", failures.OrderByDescending(f => f.Value).Select(f => $"{f.Value:N0} {f.Key}"))) + ".");
            table.Notes.Add($"{choice.Name}: {sink.Errors} error frames{(sink.FirstError is { } e ? ", first: `" + e + "`" : "")}; {senders.Unacked} sends never acked.");
        }
        finally
        {
            await heartbeat.CancelAsync();
            await pings;
            await fleet.AbortAllAsync();
        }
    }

    /// <summary>
    /// Kills the front-end the tabs are on and starts it again on the same port (and, all-in-one, the same data); on a
    /// new port if the old one is taken. Returns the seconds until it is ready.
    /// </summary>
    private static async Task<double> RestartAsync(Deployment deployment, ServerKind kind, bool split, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        var role = deployment.RoleOf(deployment.FrontEnds[0]);
        if (split)
        {
            await deployment.Process(role).KillAsync();
        }

        var process = split ? deployment.StartAgain(role) : await deployment.CrashAndRestartAsync(spec => spec);
        try
        {
            await Launcher.WaitReadyAsync(process, deployment.FrontEnds[0], cancellation);
        }
        catch (InvalidOperationException) when (process.HasExited)
        {
            var port = Launcher.FreePort();
            process = split
                ? deployment.StartAgain(role, spec => spec.WithUrl(Launcher.Url(port)))
                : await deployment.CrashAndRestartAsync(spec => kind == ServerKind.OrleansTabs ? Launcher.AllInOne(deployment.Directory, port) : spec.WithUrl(Launcher.Url(port)));
            deployment.FrontEnds[0] = new Uri(Launcher.Url(port));
            await Launcher.WaitReadyAsync(process, deployment.FrontEnds[0], cancellation);
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Waits for the tab's connection to end, then reconnects with backoff and resumes; returns the attempts.</summary>
    private static async Task<int> ReconnectOnceAsync(Tab tab, Deployment deployment, LoadBalancer? balancer, bool fresh, ConcurrentDictionary<string, int> failures,
        CancellationToken cancellation)
    {
        await tab.Closed.WaitAsync(Deadline, cancellation);
        return await Reconnect.WithBackoffAsync(tab, n => balancer?.Pick(tab.Index + n) ?? deployment.FrontEnds[0], fresh, Reconnect.MaxDelay, Deadline, cancellation,
            ex => failures.AddOrUpdate(Describe(ex), 1, (_, n) => n + 1), balancer);
    }

    /// <summary>A failed attempt's kind, for the report.</summary>
    private static string Describe(Exception failure) => failure switch
    {
        System.Net.Sockets.SocketException s => "socket " + s.SocketErrorCode,
        OperationCanceledException => "timed out (10 s)",
        UpgradeRefusedException u => u.Message,
        ClosedBeforeException c => c.Message,
        _ => failure.GetType().Name,
    };
}
