using System.Diagnostics;
using OrleansTabs.Load.Client;
using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Workloads;

/// <summary>
/// W2: rooms of 100 tabs, one sender per room sending at a stepped rate without waiting for acks; per step the
/// deliveries by arrival, send-to-deliver latency, the share delivered within the step plus a 2 s drain, and CPU.
/// </summary>
internal static class FanOut
{
    private const double PassP99Ms = 50;
    private const double PassDelivered = 98;
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);

    public static async Task<(ResultTable Table, string Svg)> RunAsync(LoadOptions options, CancellationToken cancellation)
    {
        var rooms = options.Int("--rooms", options.Smoke ? 2 : 10);
        var roomSize = options.Int("--room-size", options.Smoke ? 20 : 100);
        var rates = options.Smoke ? [10, 50] : options.Ints("--rates", 10, 50, 100, 200, 400, 800, 1600);
        var seconds = options.Double("--step-seconds", options.Smoke ? 2 : 5);
        var table = new ResultTable("w2", $"W2 fan-out: {rooms} rooms x {roomSize} tabs (sessions of 10), one sender per room, {seconds:F0} s per step",
            "server", "offered msg/s/room", "sent msg/s/room", "deliveries/s", "p50 ms", "p99 ms", "max ms", "delivered %", "ack p99 ms", "server CPU %", "client CPU %", "pass");
        var series = new List<(string, IReadOnlyList<SvgPlot.Point>)>();
        foreach (var kind in options.Servers(ServerKind.OrleansTabs, ServerKind.Kestrel, ServerKind.SignalR))
        {
            try
            {
                var points = await RunServerAsync(options, kind, rooms, roomSize, rates, TimeSpan.FromSeconds(seconds), table, cancellation);
                series.Add((kind.Name(), points));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                table.Failures.Add($"{kind.Name()}: {ex.Message}");
            }
        }

        table.Notes.Add($"A step passes with p99 <= {PassP99Ms} ms and >= {PassDelivered} % delivered; sustained = the highest step that passes with every lower step. Stepping stops after two failing steps (`--max-failures`).");
        table.Notes.Add("deliveries/s: room messages arriving at any tab during the step's send window, per second. delivered %: deliveries of the step's messages (every member, the sender too) that arrived by the end of the step + 2 s. Latency: send time embedded in the text to arrival, one process clock. CPU: % of one core over the send window (2 cores = 200 %).");
        var svg = SvgPlot.Render($"W2 fan-out, {rooms} rooms x {roomSize} tabs ({options.Topology})", series, PassP99Ms);
        return (table, svg);
    }

    private static async Task<IReadOnlyList<SvgPlot.Point>> RunServerAsync(LoadOptions options, ServerKind kind, int rooms, int roomSize, IReadOnlyList<int> rates, TimeSpan duration, ResultTable table, CancellationToken cancellation)
    {
        await using var deployment = await Launcher.StartAsync(kind, options.Topology, 1, cancellation);
        deployment.KeepDirectory = options.Keep;
        var sink = new FanOutSink(rates.Count + 1);
        var fleet = new Fleet(kind.Wire(), rooms * roomSize, roomSize, 10, sink);
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var pings = fleet.HeartbeatAsync(heartbeat.Token);
        var points = new List<SvgPlot.Point>();
        try
        {
            var connect = await fleet.ConnectAllAsync(t => deployment.FrontEnds[0], $"w2 {kind.Name()} connect", cancellation);
            if (connect.Failed > 0)
            {
                table.Notes.Add($"{kind.Name()}: {connect.Failed} of {connect.Tabs} tabs did not connect ({connect.FirstFailure}); the run goes on with the others.");
            }

            // The first connected tab of each room sends; a message is expected at every connected member.
            var senders = fleet.Tabs.Where(t => t.Ready).GroupBy(t => t.Room).Select(g => g.First()).ToList();
            var members = fleet.Tabs.Count(t => t.Ready) / (double)Math.Max(1, senders.Count);

            // Warm-up (step 0, not measured), the same for every server: 50 msg/s per room in rounds of 10 s until the
            // server's JIT is quiet, so the measured steps see a steady server, not one still tiering up its hot paths (a
            // server with a large code base, like a co-hosted silo with Garnet, keeps a core busy compiling for a minute
            // or more: a quarter of its CPU samples at 10 msg/s after a 30 s warm-up were the tiering thread's).
            var warmup = await WarmUpAsync(options, kind, deployment, senders, sink, cancellation);
            table.Notes.Add($"{kind.Name()}: warmed up for {warmup.Seconds:F0} s at 50 msg/s per room; {warmup.Jitted:N0} methods compiled in its last round{(warmup.Quiet ? "" : " (still compiling when the warm-up's limit came)")}.");
            await DrainAsync(sink, 0, members, TimeSpan.FromSeconds(20), cancellation);

            var failures = 0;
            var sustained = 0;
            var maxFailures = options.Int("--max-failures", 2);
            for (var i = 0; i < rates.Count && failures < maxFailures; i++)
            {
                var step = i + 1;
                var figures = new ServerFigures(deployment);
                var arrivals = sink.Arrivals;
                await StepAsync(kind, senders, sink, step, rates[i], duration, cancellation);
                var byArrival = (sink.Arrivals - arrivals) / duration.TotalSeconds;
                var serverCpu = figures.ServerCpuPercent;
                var clientCpu = figures.ClientCpuPercent;
                var delivered = await DrainAsync(sink, step, members, Drain, cancellation);
                var latency = sink.Latency[step];
                var pass = latency.PercentileMs(0.99) <= PassP99Ms && delivered >= PassDelivered;
                failures += pass ? 0 : 1;
                sustained = pass && failures == 0 ? rates[i] : sustained;
                table.Add(kind.Name(), rates[i], sink.Sent(step) / (double)senders.Count / duration.TotalSeconds, byArrival,
                    latency.PercentileMs(0.5), latency.PercentileMs(0.99), latency.MaxMs, delivered, sink.AckLatency[step].PercentileMs(0.99),
                    serverCpu, clientCpu, pass ? "pass" : "FAIL");
                points.Add(new SvgPlot.Point(rates[i], latency.PercentileMs(0.5), latency.PercentileMs(0.99)));
                Progress.Line($"w2 {kind.Name()} {rates[i]} msg/s/room: {byArrival:N0} deliveries/s, p99 {latency.PercentileMs(0.99):F1} ms, {delivered:F1} % delivered, server CPU {serverCpu:F0} %, client CPU {clientCpu:F0} % {(pass ? "pass" : "FAIL")}");

                // A short extra drain, so that a backlog of this step does not land in the next one.
                await DrainAsync(sink, step, members, TimeSpan.FromSeconds(8), cancellation);
            }

            table.Notes.Add($"{kind.Name()}: sustained {(sustained > 0 ? sustained + " msg/s per room" : "none of the steps")} ({sustained * rooms * roomSize:N0} deliveries/s); {sink.Errors} error frames{(sink.FirstError is { } e ? ", first: `" + e + "`" : "")}; {sink.ClosedSockets} sockets closed by the server during the run{(sink.ClosedSockets > 0 ? " (close codes " + sink.CloseCodes + ")" : "")}.");
            if (options.Smoke && sink.Delivered(1) == 0)
            {
                table.Failures.Add($"{kind.Name()}: no message was delivered.");
            }
        }
        finally
        {
            await heartbeat.CancelAsync();
            await pings;
            await fleet.AbortAllAsync();
        }

        return points;
    }

    /// <summary>
    /// Step 0: rounds of 10 s at 50 msg/s per room, at least <c>--warmup-seconds</c> (30) and at most
    /// <c>--warmup-max-seconds</c> (180), until a round in which the server's .NET processes compiled fewer than
    /// <see cref="QuietJit"/> methods between them (tier-ups included). Every server gets the same rule.
    /// </summary>
    private static async Task<(double Seconds, long Jitted, bool Quiet)> WarmUpAsync(LoadOptions options, ServerKind kind, Deployment deployment, List<Tab> senders, FanOutSink sink, CancellationToken cancellation)
    {
        if (options.Smoke)
        {
            await StepAsync(kind, senders, sink, 0, 50, TimeSpan.FromSeconds(1), cancellation);
            return (1, 0, true);
        }

        var least = TimeSpan.FromSeconds(options.Double("--warmup-seconds", 30));
        var most = TimeSpan.FromSeconds(options.Double("--warmup-max-seconds", 180));
        var watch = Stopwatch.StartNew();
        var before = await JittedAsync(deployment, cancellation);
        while (true)
        {
            await StepAsync(kind, senders, sink, 0, 50, WarmUpRound, cancellation);
            var now = await JittedAsync(deployment, cancellation);
            var jitted = now - before;
            before = now;
            var quiet = jitted < QuietJit;
            if ((quiet && watch.Elapsed >= least) || watch.Elapsed >= most)
            {
                return (watch.Elapsed.TotalSeconds, jitted, quiet);
            }

            Progress.Line($"w2 {kind.Name()} warm-up: {watch.Elapsed.TotalSeconds:F0} s, {jitted:N0} methods compiled in the last round");
        }
    }

    private const int QuietJit = 50;
    private static readonly TimeSpan WarmUpRound = TimeSpan.FromSeconds(10);

    private static async Task<long> JittedAsync(Deployment deployment, CancellationToken cancellation)
    {
        long total = 0;
        foreach (var process in deployment.Processes)
        {
            total += await RuntimeCounters.MethodsJittedAsync(process.Pid, cancellation) ?? 0;
        }

        return total;
    }

    /// <summary>
    /// Every sender sends at <paramref name="rate"/> for <paramref name="duration"/>, acks not awaited. One pacing loop
    /// serves every sender, so that the generator wakes once per millisecond, not once per sender.
    /// </summary>
    private static async Task StepAsync(ServerKind kind, List<Tab> senders, FanOutSink sink, int step, double rate, TimeSpan duration, CancellationToken cancellation)
    {
        var start = Stopwatch.GetTimestamp();
        var total = (long)Math.Ceiling(duration.TotalSeconds * rate);
        var sent = new long[senders.Count];
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed >= duration)
            {
                return;
            }

            for (var i = 0; i < senders.Count; i++)
            {
                // The senders are spread evenly over each interval rather than all sending at the same instant.
                var due = Math.Min((long)Math.Floor((elapsed.TotalSeconds * rate) - ((double)i / senders.Count)) + 1, total);
                for (; sent[i] < due && !senders[i].Closed.IsCompleted; sent[i]++)
                {
                    var (seq, ticks) = sink.Next(step);
                    try
                    {
                        await senders[i].SendAsync(kind.Wire().Send(senders[i].Room, seq, MessageText.Format(step, seq, ticks)), cancellation);
                    }
                    catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
                    {
                        // The server closed this sender (e.g. 4013, too slow): its room goes on without messages.
                        break;
                    }
                }
            }

            if (Progress.Due)
            {
                Progress.Show($"w2 {kind.Name()} {rate} msg/s/room: {sink.Delivered(step):N0} delivered, p99 {sink.Latency[step].PercentileMs(0.99):F1} ms");
            }

            // Sleep until the next sender is due (at least 1 ms, at most 50 ms), rather than waking every millisecond.
            var next = ((Math.Floor(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1) / rate) - Stopwatch.GetElapsedTime(start).TotalSeconds;
            var wait = senders.Count > 1 ? Math.Min(next, 1.0 / (rate * senders.Count)) : next;
            await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(wait, 0.001, 0.05)), cancellation);
        }
    }

    /// <summary>Waits until every member got every message of the step, or the deadline; returns the % delivered.</summary>
    private static async Task<double> DrainAsync(FanOutSink sink, int step, double members, TimeSpan deadline, CancellationToken cancellation)
    {
        var expected = (long)Math.Round(sink.Sent(step) * members);
        var watch = Stopwatch.StartNew();
        while (sink.Delivered(step) < expected && watch.Elapsed < deadline)
        {
            await Task.Delay(20, cancellation);
        }

        return expected == 0 ? 100 : sink.Delivered(step) * 100.0 / expected;
    }
}
