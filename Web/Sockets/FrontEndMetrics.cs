using System.Diagnostics.Metrics;

namespace OrleansTabs.Web.Sockets;

/// <summary>
/// The front-end's instruments on the <c>OrleansTabs</c> meter, each updated where its event already happens: frames in
/// and out, tabs and sessions connected (read from <see cref="LocalConnections"/> at collection), resumes and how deep
/// their replays were, stream resets by reason, closes by code, slow consumers closed (every 4013), send-to-ack latency.
/// </summary>
public sealed class FrontEndMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "OrleansTabs";

    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly int[] ReplayBuckets = [0, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000];

    private readonly Meter _meter;
    private readonly LocalConnections _connections;
    private readonly Counter<long> _framesIn;
    private readonly Counter<long> _framesOut;
    private readonly Counter<long> _slowConsumers;
    private readonly Counter<long> _closes;
    private readonly Counter<long> _resumes;
    private readonly Counter<long> _resets;
    private readonly Histogram<int> _replayed;
    private readonly Histogram<double> _sendToAck;
    private long _in;
    private long _out;

    public FrontEndMetrics(IMeterFactory meters, LocalConnections connections)
    {
        _connections = connections;
        _meter = meters.Create(MeterName);
        _framesIn = _meter.CreateCounter<long>("orleanstabs.frames.in", description: "Client frames received");
        _framesOut = _meter.CreateCounter<long>("orleanstabs.frames.out", description: "Server frames written");
        _slowConsumers = _meter.CreateCounter<long>("orleanstabs.sockets.slow_closed", description: "Sockets closed with 4013 (too slow)");
        _closes = _meter.CreateCounter<long>("orleanstabs.sockets.closed", description: "Socket closes by close code (this side's or the peer's)");
        _resumes = _meter.CreateCounter<long>("orleanstabs.resumes", description: "resume frames answered with resumed");
        _resets = _meter.CreateCounter<long>("orleanstabs.stream.resets", description: "reset frames sent, by reason");
        _replayed = _meter.CreateHistogram("orleanstabs.resume.replayed", unit: "{frame}", description: "Frames replayed per resume",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = ReplayBuckets });
        _sendToAck = _meter.CreateHistogram("orleanstabs.send.ack_duration", unit: "s", description: "From reading a send frame to queueing its ack",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _meter.CreateObservableGauge("orleanstabs.tabs.connected", ObserveTabs, unit: "{tab}", description: "Tabs connected to this front-end, by channel");
        _meter.CreateObservableGauge("orleanstabs.sessions.connected", ObserveSessions, unit: "{session}", description: "Sessions with a tab connected to this front-end");
    }

    /// <summary>Client frames received since start.</summary>
    public long FramesIn => Interlocked.Read(ref _in);

    /// <summary>Server frames written since start.</summary>
    public long FramesOut => Interlocked.Read(ref _out);

    public void FrameIn()
    {
        Interlocked.Increment(ref _in);
        _framesIn.Add(1);
    }

    public void FramesWritten(int count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _out, count);
            _framesOut.Add(count);
        }
    }

    /// <summary>A socket is closing with <paramref name="code"/> (counted once per socket); 4013 also counts as a slow consumer.</summary>
    public void SocketClosed(int code)
    {
        _closes.Add(1, new KeyValuePair<string, object?>("code", code));
        if (code == CloseCodes.TooSlow)
        {
            _slowConsumers.Add(1);
        }
    }

    /// <summary>A resume was answered after replaying <paramref name="replayed"/> frames.</summary>
    public void Resumed(int replayed)
    {
        _resumes.Add(1);
        _replayed.Record(replayed);
    }

    /// <summary>A stream was reset (<c>epoch</c>, <c>gap</c>, ...).</summary>
    public void StreamReset(string reason) => _resets.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A send was acked <paramref name="elapsed"/> after its frame was read.</summary>
    public void SendAcked(TimeSpan elapsed) => _sendToAck.Record(elapsed.TotalSeconds);

    private IEnumerable<Measurement<int>> ObserveTabs()
    {
        var stats = _connections.Count(0, 0);
        return
        [
            new Measurement<int>(stats.ChatTabs, new KeyValuePair<string, object?>("channel", Channels.Chat)),
            new Measurement<int>(stats.DashboardTabs, new KeyValuePair<string, object?>("channel", Channels.Dashboard)),
        ];
    }

    private int ObserveSessions() => _connections.Count(0, 0).Sessions;

    public void Dispose() => _meter.Dispose();
}
