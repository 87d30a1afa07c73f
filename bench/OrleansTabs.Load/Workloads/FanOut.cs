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
    internal const double PassP99Ms = 50;
    internal const double PassDelivered = 98;
    internal static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);

    public static async Task<(ResultTable Table, string Svg)> RunAsync(LoadOptions options, CancellationToken cancellation)
    {
        var rooms = options.Int("--rooms", options.Smoke ? 2 : 10);
        var roomSize = options.Int("--room-size", options.Smoke ? 20 : 100);
        var rates = options.Smoke ? [10, 50] : options.Ints("--rates", 10, 50, 100, 200, 400, 800, 1600);
        var duration = TimeSpan.FromSeconds(options.Double("--step-seconds", options.Smoke ? 2 : 5));
        var maxFailures = options.Int("--max-failures", 2);
        var table = new ResultTable("w2", $"W2 fan-out: {rooms} rooms x {roomSize} tabs (sessions of 10), one sender per room, {duration.TotalSeconds:F0} s per step",
            "server", "offered msg/s/room", "sent msg/s/room", "deliveries/s", "p50 ms", "p99 ms", "max ms", "delivered %", "ack p99 ms", "server CPU %", "client CPU %", "pass");
        var runs = new List<FanOutRun>();
        var series = new List<(string, IReadOnlyList<SvgPlot.Point>)>();
        try
        {
            foreach (var choice in options.Choices(ServerKind.OrleansTabs, ServerKind.Kestrel, ServerKind.SignalR))
            {
                var run = new FanOutRun(choice, rates.Count);
                runs.Add(run);
                await run.GuardAsync(table, () => run.StartAsync(options, rooms, roomSize, cancellation));
            }

            // Interleaved: every server steps in turn (in reverse order every other step), so that a busy minute on a shared
            // machine falls on every server, not on whichever ran then. The others idle meanwhile with their sockets open.
            for (var i = 0; i < rates.Count; i++)
            {
                var order = i % 2 == 0 ? runs : Enumerable.Reverse(runs);
                foreach (var run in order.Where(r => r.Running && r.Failures < maxFailures))
                {
                    await run.GuardAsync(table, () => run.StepAsync(i + 1, rates[i], duration, cancellation));
                }
            }

            // Read before the tabs are closed (their closing is not the server's doing).
            foreach (var run in runs)
            {
                table.Rows.AddRange(run.Rows);
                table.Notes.AddRange(run.Notes);
                if (run.Started)
                {
                    series.Add((run.Name, run.Points));
                    table.Notes.Add(run.Summary(rooms * roomSize));
                }

                if (options.Smoke && run.Started && run.Sink.Delivered(1) == 0)
                {
                    table.Failures.Add($"{run.Name}: no message was delivered.");
                }
            }
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.DisposeAsync();
            }
        }

        table.Notes.Add($"A step passes with p99 <= {PassP99Ms} ms and >= {PassDelivered} % delivered; sustained = the highest step that passes with every lower step. Stepping stops after {maxFailures} failing steps (`--max-failures`).");
        table.Notes.Add("The servers run side by side: each is started, connected and warmed up, then every step runs on each server in turn (the order reversed every other step) while the others idle with their sockets open, so a busy spell on the machine falls on all of them alike.");
        table.Notes.Add("deliveries/s: room messages arriving at any tab during the step's send window, per second. delivered %: deliveries of the step's messages (every member, the sender too) that arrived by the end of the step + 2 s. Latency: send time embedded in the text to arrival, one process clock. CPU: % of one core over the send window (2 cores = 200 %), the stepping server's processes alone.");
        var svg = SvgPlot.Render($"W2 fan-out, {rooms} rooms x {roomSize} tabs ({options.Topology})", series, PassP99Ms);
        return (table, svg);
    }

    /// <summary>
    /// Step 0: rounds of 10 s at 50 msg/s per room, at least <c>--warmup-seconds</c> (30) and at most
    /// <c>--warmup-max-seconds</c> (180), until a round in which the server's .NET processes compiled fewer than
    /// <see cref="QuietJit"/> methods between them (tier-ups included). Every server gets the same rule.
    /// </summary>
    internal static async Task<(double Seconds, long Jitted, bool Quiet)> WarmUpAsync(LoadOptions options, ServerKind kind, string name, Deployment deployment, List<Tab> senders, FanOutSink sink, CancellationToken cancellation)
    {
        if (options.Smoke)
        {
            await StepAsync(kind, name, senders, sink, 0, 50, TimeSpan.FromSeconds(1), cancellation);
            return (1, 0, true);
        }

        var least = TimeSpan.FromSeconds(options.Double("--warmup-seconds", 30));
        var most = TimeSpan.FromSeconds(options.Double("--warmup-max-seconds", 180));
        var watch = Stopwatch.StartNew();
        var before = await JittedAsync(deployment, cancellation);
        while (true)
        {
            await StepAsync(kind, name, senders, sink, 0, 50, WarmUpRound, cancellation);
            var now = await JittedAsync(deployment, cancellation);
            var jitted = now - before;
            before = now;
            var quiet = jitted < QuietJit;
            if ((quiet && watch.Elapsed >= least) || watch.Elapsed >= most)
            {
                return (watch.Elapsed.TotalSeconds, jitted, quiet);
            }

            Progress.Line($"w2 {name} warm-up: {watch.Elapsed.TotalSeconds:F0} s, {jitted:N0} methods compiled in the last round");
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
    internal static async Task StepAsync(ServerKind kind, string name, List<Tab> senders, FanOutSink sink, int step, double rate, TimeSpan duration, CancellationToken cancellation)
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
                Progress.Show($"w2 {name} {rate} msg/s/room: {sink.Delivered(step):N0} delivered, p99 {sink.Latency[step].PercentileMs(0.99):F1} ms");
            }

            // Sleep until the next sender is due (within the bounds of the clamp), rather than waking every millisecond.
            var next = ((Math.Floor(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1) / rate) - Stopwatch.GetElapsedTime(start).TotalSeconds;
            var wait = senders.Count > 1 ? Math.Min(next, 1.0 / (rate * senders.Count)) : next;
            await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(wait, 0.001, 0.05)), cancellation);
        }
    }

    /// <summary>Waits until every member got every message of the step, or the deadline; returns the % delivered.</summary>
    internal static async Task<double> DrainAsync(FanOutSink sink, int step, double members, TimeSpan deadline, CancellationToken cancellation)
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
