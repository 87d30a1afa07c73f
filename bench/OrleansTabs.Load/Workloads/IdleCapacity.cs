using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Workloads;

/// <summary>
/// W1: idle tabs, stepped (a fresh server per step): connect rate and server memory per tab. With
/// <c>--warmup-tabs N</c>, N other tabs connect, join and close on each server before it is measured (the same for
/// every server): the figures of a server that has run its connect path before, as a deployed one has, rather than
/// of its first minute, when its JIT compiles and tiers up the code the connects run.
/// </summary>
internal static class IdleCapacity
{
    public static async Task<ResultTable> RunAsync(LoadOptions options, CancellationToken cancellation)
    {
        var steps = options.Smoke ? [200] : options.Ints("--steps", 2000, 5000, 10000, 15000);
        var settle = TimeSpan.FromSeconds(options.Smoke ? 1 : options.Double("--settle-seconds", 5));
        var warmup = options.Int("--warmup-tabs", 0);
        var title = "W1 idle capacity: sessions of 10 tabs, rooms of 100, 50 connects in flight, a fresh server per step"
            + (warmup > 0 ? $", measured after {warmup:N0} other tabs connected, joined and closed on it" : "");
        var table = new ResultTable("w1", title,
            "server", "tabs", "failed", "connects/s", "p99 ms", "max ms", "RSS before MB", "RSS after MB", "RSS KiB/tab", "heap KiB/tab", "live KiB/tab", "server CPU %", "client CPU %");

        // Each step runs on every server in turn (in reverse order every other step), so that a busy spell on a shared
        // machine falls on every server rather than on whichever ran then; the table lists each server's steps together.
        var choices = options.Choices(ServerKind.OrleansTabs, ServerKind.Kestrel, ServerKind.SignalR, ServerKind.SignalRRedis);
        for (var i = 0; i < steps.Count; i++)
        {
            foreach (var choice in i % 2 == 0 ? choices : Enumerable.Reverse(choices))
            {
                try
                {
                    await StepAsync(options, choice, steps[i], warmup, settle, table, cancellation);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    table.Failures.Add($"{choice.Name} {steps[i]} tabs: {ex.Message}");
                }
            }
        }

        table.GroupRows(choices.Select(c => c.Name));
        table.Notes.Add("Each step runs on every server in turn (the order reversed every other step), a fresh server each time.");
        table.Notes.Add($"RSS before: after a warm-up sign-in and 1 s; after: {settle.TotalSeconds:F0} s after the last connect. Per tab = (after - before) / tabs connected. heap: the server's GC heap size (System.Runtime counters over EventPipe) at the same two moments, garbage not yet collected included. live: the GC heap size right after a blocking full collection that the tool has the server run (over EventPipe, as dotnet-gcdump does), before the tabs connect and after the heap was read: what the tabs keep alive, the steadiest of the three figures between runs. n/a if it could not be read. RSS and CPU are summed over every process of the deployment (redis-server included), the heaps over its .NET processes; split, the tabs alternate between the front-ends (so every room has members on each), and the notes give each role's share.");
        return table;
    }

    private static async Task StepAsync(LoadOptions options, ServerChoice choice, int tabs, int warmup, TimeSpan settle, ResultTable table, CancellationToken cancellation)
    {
        var kind = choice.Kind;
        await using var deployment = await Launcher.StartAsync(choice, options.Topology, options.FrontEnds, cancellation, options.Silos);
        deployment.KeepDirectory = options.Keep;
        var fleet = new Fleet(kind.Wire(), tabs, 100, 10, Client.TabSink.None);
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var pings = fleet.HeartbeatAsync(heartbeat.Token);
        try
        {
            // A warm-up sign-in, so the sign-in path's one-time allocations are in "before".
            await new Client.TabSession("warm-up").SignInAsync(deployment.FrontEnds[0], cancellation);
            if (warmup > 0)
            {
                var earlier = new Fleet(kind.Wire(), warmup, 100, 10, Client.TabSink.None, "warm-up");
                var warm = await earlier.ConnectAsync(t => deployment.FrontEnds[t.Index % deployment.FrontEnds.Count], 50, $"w1 {choice.Name} warm-up", cancellation);
                await earlier.AbortAllAsync();
                table.Notes.Add($"{choice.Name} {tabs:N0} tabs: the warm-up's {warmup:N0} tabs connected at {warm.PerSecond:N0}/s ({warm.Failed} failed).");
                await Task.Delay(settle, cancellation);
            }

            await Task.Delay(1000, cancellation);
            var heapBefore = await HeapAsync(deployment, live: false, cancellation);
            var rssBefore = deployment.RssBytes();
            var liveBefore = await HeapAsync(deployment, live: true, cancellation);
            var figures = new ServerFigures(deployment);
            var result = await fleet.ConnectAsync(t => deployment.FrontEnds[t.Index % deployment.FrontEnds.Count], 50, $"w1 {choice.Name} {tabs:N0}", cancellation);
            var serverCpu = figures.ServerCpuPercent;
            var clientCpu = figures.ClientCpuPercent;
            var rolesCpu = figures.RolesCpu();
            await Task.Delay(settle, cancellation);
            var rssAfter = deployment.RssBytes();
            if (ServerFigures.RolesRss(deployment) is { } rolesRss)
            {
                table.Notes.Add($"{choice.Name} {tabs:N0} tabs, by role: CPU over the connects {rolesCpu}; RSS after {rolesRss}.");
            }

            var heapAfter = await HeapAsync(deployment, live: false, cancellation);
            var liveAfter = await HeapAsync(deployment, live: true, cancellation);
            var connected = Math.Max(1, tabs - result.Failed);
            double? heapPerTab = heapBefore is { } b && heapAfter is { } a ? (a - b) / 1024.0 / connected : null;
            double? livePerTab = liveBefore is { } lb && liveAfter is { } la ? (la - lb) / 1024.0 / connected : null;
            table.Add(choice.Name, tabs, result.Failed, result.PerSecond, result.Latency.PercentileMs(0.99), result.Latency.MaxMs,
                rssBefore / 1048576.0, rssAfter / 1048576.0, (rssAfter - rssBefore) / 1024.0 / connected, heapPerTab, livePerTab, serverCpu, clientCpu);
            if (result.Failed > 0)
            {
                table.Notes.Add($"{choice.Name} {tabs} tabs: {result.Failed} connects failed, first: {result.FirstFailure}");
                if (options.Smoke && result.Failed == tabs)
                {
                    table.Failures.Add($"{choice.Name}: {result.Failed} connects failed ({result.FirstFailure})");
                }
            }

            Progress.Line($"w1 {choice.Name} {tabs:N0} tabs: {result.PerSecond:N0} connects/s, {(rssAfter - rssBefore) / 1024.0 / connected:F1} KiB RSS per tab, failed {result.Failed}");
        }
        finally
        {
            await heartbeat.CancelAsync();
            await pings;
            await fleet.AbortAllAsync();
        }
    }

    /// <summary>The GC heap summed over the deployment's .NET processes (after a blocking full collection in each if <paramref name="live"/>); null if one could not be read.</summary>
    private static async Task<long?> HeapAsync(Deployment deployment, bool live, CancellationToken cancellation)
    {
        long total = 0;
        foreach (var process in deployment.DotNetProcesses)
        {
            var heap = live ? await RuntimeCounters.LiveHeapBytesAsync(process.Pid, cancellation) : await RuntimeCounters.HeapBytesAsync(process.Pid, cancellation);
            if (heap is not { } bytes)
            {
                return null;
            }

            total += bytes;
        }

        return total;
    }
}
