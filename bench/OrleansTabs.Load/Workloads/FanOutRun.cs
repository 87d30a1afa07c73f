using OrleansTabs.Load.Client;
using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Workloads;

/// <summary>One server's part of a W2 run: its deployment and tabs, held from its start to the end of the run.</summary>
internal sealed class FanOutRun(ServerChoice choice, int steps) : IAsyncDisposable
{
    private readonly CancellationTokenSource _heartbeat = new();
    private Deployment? _deployment;
    private Fleet? _fleet;
    private Task _pings = Task.CompletedTask;
    private List<Tab> _senders = [];
    private double _members;
    private bool _failed;

    public ServerKind Kind => choice.Kind;

    /// <summary>Its name in the reports: the kind, with its settings if any.</summary>
    public string Name => choice.Name;

    public FanOutSink Sink { get; } = new(steps + 1);

    public List<string[]> Rows { get; } = [];

    public List<string> Notes { get; } = [];

    public List<SvgPlot.Point> Points { get; } = [];

    public bool Started => _deployment is not null && _fleet is not null;

    public bool Running => Started && !_failed;

    public int Failures { get; private set; }

    public int Sustained { get; private set; }

    /// <summary>What the run sustained, and what went wrong on the way.</summary>
    public string Summary(int tabs) =>
        $"{Name}: sustained {(Sustained > 0 ? Sustained + " msg/s per room" : "none of the steps")} ({Sustained * tabs:N0} deliveries/s); {Sink.Errors} error frames{(Sink.FirstError is { } e ? ", first: `" + e + "`" : "")}; {Sink.ClosedSockets} sockets closed by the server during the run{(Sink.ClosedSockets > 0 ? " (close codes " + Sink.CloseCodes + ")" : "")}.";

    /// <summary>Runs a part of this server's run; an error ends this server's run (reported), not the others'.</summary>
    public async Task GuardAsync(ResultTable table, Func<Task> part)
    {
        try
        {
            await part();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            table.Failures.Add($"{Name}: {ex.Message}");
        }
    }

    /// <summary>Starts the server, connects its tabs and warms it up.</summary>
    public async Task StartAsync(LoadOptions options, int rooms, int roomSize, CancellationToken cancellation)
    {
        _deployment = await Launcher.StartAsync(choice, options.Topology, 1, cancellation);
        _deployment.KeepDirectory = options.Keep;
        _fleet = new Fleet(Kind.Wire(), rooms * roomSize, roomSize, 10, Sink);
        _pings = _fleet.HeartbeatAsync(_heartbeat.Token);
        var deployment = _deployment;
        var connect = await _fleet.ConnectAllAsync(t => deployment.FrontEnds[0], $"w2 {Name} connect", cancellation);
        if (connect.Failed > 0)
        {
            Notes.Add($"{Name}: {connect.Failed} of {connect.Tabs} tabs did not connect ({connect.FirstFailure}); the run goes on with the others.");
        }

        // The first connected tab of each room sends; a message is expected at every connected member.
        _senders = _fleet.Tabs.Where(t => t.Ready).GroupBy(t => t.Room).Select(g => g.First()).ToList();
        _members = _fleet.Tabs.Count(t => t.Ready) / (double)Math.Max(1, _senders.Count);

        // Warm-up (step 0, not measured), the same for every server: 50 msg/s per room in rounds of 10 s until the
        // server's JIT is quiet, so the measured steps see a steady server, not one still tiering up its hot paths (a
        // server with a large code base, like a co-hosted silo with Garnet, keeps a core busy compiling for a minute
        // or more, and a fixed short warm-up would measure that compiler rather than the server).
        var warmup = await FanOut.WarmUpAsync(options, Kind, Name, _deployment, _senders, Sink, cancellation);
        Notes.Add($"{Name}: warmed up for {warmup.Seconds:F0} s at 50 msg/s per room; {warmup.Jitted:N0} methods compiled in its last round{(warmup.Quiet ? "" : " (still compiling when the warm-up's limit came)")}.");
        await FanOut.DrainAsync(Sink, 0, _members, TimeSpan.FromSeconds(20), cancellation);
    }

    /// <summary>One measured step at <paramref name="rate"/> msg/s per room.</summary>
    public async Task StepAsync(int step, int rate, TimeSpan duration, CancellationToken cancellation)
    {
        var figures = new ServerFigures(_deployment!);
        var arrivals = Sink.Arrivals;
        await FanOut.StepAsync(Kind, Name, _senders, Sink, step, rate, duration, cancellation);
        var byArrival = (Sink.Arrivals - arrivals) / duration.TotalSeconds;
        var serverCpu = figures.ServerCpuPercent;
        var clientCpu = figures.ClientCpuPercent;
        var delivered = await FanOut.DrainAsync(Sink, step, _members, FanOut.Drain, cancellation);
        var latency = Sink.Latency[step];
        var pass = latency.PercentileMs(0.99) <= FanOut.PassP99Ms && delivered >= FanOut.PassDelivered;
        Failures += pass ? 0 : 1;
        Sustained = pass && Failures == 0 ? rate : Sustained;
        Rows.Add(ResultTable.Row(
            Name, rate, Sink.Sent(step) / (double)_senders.Count / duration.TotalSeconds, byArrival,
            latency.PercentileMs(0.5), latency.PercentileMs(0.99), latency.MaxMs, delivered, Sink.AckLatency[step].PercentileMs(0.99),
            serverCpu, clientCpu, pass ? "pass" : "FAIL"));
        Points.Add(new SvgPlot.Point(rate, latency.PercentileMs(0.5), latency.PercentileMs(0.99)));
        Progress.Line($"w2 {Name} {rate} msg/s/room: {byArrival:N0} deliveries/s, p99 {latency.PercentileMs(0.99):F1} ms, {delivered:F1} % delivered, server CPU {serverCpu:F0} %, client CPU {clientCpu:F0} % {(pass ? "pass" : "FAIL")}");

        // A short extra drain, so that a backlog of this step does not land in the next one (this server's or another's).
        await FanOut.DrainAsync(Sink, step, _members, TimeSpan.FromSeconds(8), cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        await _heartbeat.CancelAsync();
        await _pings;
        if (_fleet is not null)
        {
            await _fleet.AbortAllAsync();
        }

        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }

        _heartbeat.Dispose();
    }
}
