using System.Diagnostics.Metrics;

namespace OrleansTabs.Web.Sockets;

/// <summary>The front-end's counters: frames in and out, slow consumers closed. Exposed on the <c>OrleansTabs</c> meter.</summary>
public sealed class FrontEndMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "OrleansTabs";

    private readonly Meter _meter;
    private readonly Counter<long> _framesIn;
    private readonly Counter<long> _framesOut;
    private readonly Counter<long> _slowConsumers;
    private long _in;
    private long _out;

    public FrontEndMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _framesIn = _meter.CreateCounter<long>("orleanstabs.frames.in", description: "Client frames received");
        _framesOut = _meter.CreateCounter<long>("orleanstabs.frames.out", description: "Server frames written");
        _slowConsumers = _meter.CreateCounter<long>("orleanstabs.sockets.slow_closed", description: "Sockets closed with 4013");
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

    public void SlowConsumerClosed() => _slowConsumers.Add(1);

    public void Dispose() => _meter.Dispose();
}
