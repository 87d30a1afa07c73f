using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>
/// The front-end's instruments on the <c>OrleansTabs</c> meter, each updated where its event already happens: frames in
/// and out, tabs and sessions connected (read from <see cref="LocalConnections"/> at collection), resumes and how deep
/// their replays were, stream resets by reason, closes by code, slow consumers closed (every 4013), send-to-ack latency.
/// </summary>
internal sealed class FrontEndMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "OrleansTabs";

    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly int[] ReplayBuckets = [0, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000];

    // One meter per process, never disposed: an exporter matches meters by name across the process, so a meter per
    // host (as IMeterFactory makes) would leave a second host of the same process, a test's, recording into the stream
    // of a first one that was disposed. The gauges add up the front-ends alive in the process (one outside tests).
    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<FrontEndMetrics, byte> Alive = new();

    // Frames are counted on every read and every send-loop pass: two process-wide sums read at collection, where a
    // Counter's Add would look up its metric point (tags, aggregator) on every frame of every socket.
    private static long s_framesIn;
    private static long s_framesOut;
    private static readonly ObservableCounter<long> FramesInCounter = Meter.CreateObservableCounter("orleanstabs.frames.in", static () => Interlocked.Read(ref s_framesIn), description: "Client frames received");
    private static readonly ObservableCounter<long> FramesOutCounter = Meter.CreateObservableCounter("orleanstabs.frames.out", static () => Interlocked.Read(ref s_framesOut), description: "Server frames written");
    private static readonly Counter<long> SlowConsumers = Meter.CreateCounter<long>("orleanstabs.sockets.slow_closed", description: "Sockets closed with 4013 (too slow)");
    private static readonly Counter<long> Closes = Meter.CreateCounter<long>("orleanstabs.sockets.closed", description: "Socket closes by close code (this side's or the peer's)");
    private static readonly Counter<long> Resumes = Meter.CreateCounter<long>("orleanstabs.resumes", description: "resume frames answered with resumed");
    private static readonly Counter<long> ConnectsRefused = Meter.CreateCounter<long>("orleanstabs.connects.refused", description: "Socket connects refused before the upgrade, by reason");
    private static readonly Counter<long> Resets = Meter.CreateCounter<long>("orleanstabs.stream.resets", description: "reset frames sent, by reason");
    private static readonly Histogram<int> Replayed = Meter.CreateHistogram("orleanstabs.resume.replayed", unit: "{frame}", description: "Frames replayed per resume",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = ReplayBuckets });
    private static readonly Histogram<double> SendToAck = Meter.CreateHistogram("orleanstabs.send.ack_duration", unit: "s", description: "From reading a send frame to queueing its ack",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    private static readonly ObservableGauge<int> Tabs = Meter.CreateObservableGauge("orleanstabs.tabs.connected", ObserveTabs, unit: "{tab}", description: "Tabs connected to this front-end, by channel");
    private static readonly ObservableGauge<int> Sessions = Meter.CreateObservableGauge("orleanstabs.sessions.connected", ObserveSessions, unit: "{session}", description: "Sessions with a tab connected to this front-end");

    private readonly LocalConnections _connections;
    private long _in;
    private long _out;

    public FrontEndMetrics(LocalConnections connections)
    {
        _connections = connections;
        Alive[this] = 0;
    }

    /// <summary>Client frames received since start.</summary>
    public long FramesIn => Interlocked.Read(ref _in);

    /// <summary>Server frames written since start.</summary>
    public long FramesOut => Interlocked.Read(ref _out);

    public void FrameIn()
    {
        Interlocked.Increment(ref _in);
        Interlocked.Increment(ref s_framesIn);
    }

    public void FramesWritten(int count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _out, count);
            Interlocked.Add(ref s_framesOut, count);
        }
    }

    /// <summary>A socket is closing with <paramref name="code"/> (counted once per socket); 4013 also counts as a slow consumer.</summary>
    public void SocketClosed(int code)
    {
        Closes.Add(1, new KeyValuePair<string, object?>("code", code));
        if (code == CloseReason.TooSlow.Code)
        {
            SlowConsumers.Add(1);
        }
    }

    /// <summary>A resume was answered after replaying <paramref name="replayed"/> frames.</summary>
    public void Resumed(int replayed)
    {
        Resumes.Add(1);
        Replayed.Record(replayed);
    }

    /// <summary>A stream was reset (<c>epoch</c>, <c>gap</c>, ...).</summary>
    /// <summary>A connect refused before its upgrade: <paramref name="reason"/> is one of <see cref="ConnectRefusals"/>.</summary>
    public void ConnectRefused(string reason) => ConnectsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void StreamReset(string reason) => Resets.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A send was acked <paramref name="elapsed"/> after its frame was read.</summary>
    public void SendAcked(TimeSpan elapsed) => SendToAck.Record(elapsed.TotalSeconds);

    private static IEnumerable<Measurement<int>> ObserveTabs()
    {
        int chat = 0, dashboard = 0;
        foreach (var metrics in Alive.Keys)
        {
            var stats = metrics._connections.Count(0, 0);
            chat += stats.ChatTabs;
            dashboard += stats.DashboardTabs;
        }

        return
        [
            new Measurement<int>(chat, new KeyValuePair<string, object?>("channel", Channels.Chat)),
            new Measurement<int>(dashboard, new KeyValuePair<string, object?>("channel", Channels.Dashboard)),
        ];
    }

    private static int ObserveSessions() => Alive.Keys.Sum(m => m._connections.Count(0, 0).Sessions);

    /// <summary>This front-end leaves the gauges (the process-wide instruments stay).</summary>
    public void Dispose() => Alive.TryRemove(this, out _);
}

/// <summary>
/// Why a connect was refused before its upgrade, as <c>orleanstabs.connects.refused</c> tags it. The two 401s are kept
/// apart: a request without a readable session (no cookie or token, or one that does not decrypt or has expired) is a
/// client's to fix; a session its grain says has ended is a sign-out, an expiry or a revocation.
/// </summary>
internal static class ConnectRefusals
{
    public const string Route = "route";
    public const string Draining = "draining";
    public const string Parameters = "parameters";
    public const string Origin = "origin";
    public const string NotSignedIn = "not_signed_in";
    public const string SessionEnded = "session_ended";
    public const string Forbidden = "forbidden";
    public const string TooManyTabs = "tabs_per_session";
}
