using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansTabs.Load.Client;
using OrleansTabs.Load.Reporting;

namespace OrleansTabs.Load.Workloads;

/// <summary>W2's counters: per step, messages sent, deliveries and their latency, acks; plus every arrival.</summary>
internal sealed class FanOutSink(int steps) : TabSink
{
    private readonly long[] _sent = new long[steps];
    private readonly long[] _delivered = new long[steps];
    private readonly long[] _acked = new long[steps];
    private readonly ConcurrentDictionary<long, (int Step, long Ticks)> _unacked = new();
    private long _seq;
    private long _arrivals;
    private long _closed;
    private readonly ConcurrentDictionary<int, int> _closeCodes = new();

    public Histogram[] Latency { get; } = [.. Enumerable.Range(0, steps).Select(_ => new Histogram())];

    public Histogram[] AckLatency { get; } = [.. Enumerable.Range(0, steps).Select(_ => new Histogram())];

    public long Arrivals => Interlocked.Read(ref _arrivals);

    public long ClosedSockets => Interlocked.Read(ref _closed);

    public long Sent(int step) => Interlocked.Read(ref _sent[step]);

    public long Delivered(int step) => Interlocked.Read(ref _delivered[step]);

    public long Acked(int step) => Interlocked.Read(ref _acked[step]);

    /// <summary>Takes a sequence number for a message about to be sent now, in <paramref name="step"/>.</summary>
    public (long Seq, long Ticks) Next(int step)
    {
        var seq = Interlocked.Increment(ref _seq);
        var ticks = Stopwatch.GetTimestamp();
        _unacked[seq] = (step, ticks);
        Interlocked.Increment(ref _sent[step]);
        return (seq, ticks);
    }

    public override void OnMessage(Tab tab, long offset, ReadOnlySpan<byte> text)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _arrivals);
        if (MessageText.TryParse(text, out var step, out _, out var ticks) && (uint)step < (uint)_delivered.Length)
        {
            Interlocked.Increment(ref _delivered[step]);
            Latency[step].Record(MessageText.MicrosecondsSince(ticks, now));
        }
    }

    public override void OnAck(Tab tab, long seq, long offset)
    {
        if (_unacked.TryRemove(seq, out var sent))
        {
            Interlocked.Increment(ref _acked[sent.Step]);
            AckLatency[sent.Step].Record(MessageText.MicrosecondsSince(sent.Ticks, Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>Close codes seen, e.g. <c>4013 x3</c>.</summary>
    public string CloseCodes => string.Join(", ", _closeCodes.OrderBy(c => c.Key).Select(c => $"{c.Key} x{c.Value}"));

    public override void OnClosed(Tab tab, int code)
    {
        Interlocked.Increment(ref _closed);
        _closeCodes.AddOrUpdate(code, 1, (_, n) => n + 1);
    }
}
