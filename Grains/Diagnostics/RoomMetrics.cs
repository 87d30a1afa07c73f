using System.Diagnostics.Metrics;

namespace OrleansTabs.Grains.Diagnostics;

/// <summary>
/// The rooms' durable log, in the <c>OrleansTabs</c> meter: how many messages each group-commit write carries and how long
/// it takes to be in Redis. Recorded once per write, not per message.
/// </summary>
public static class RoomMetrics
{
    private static readonly Meter Meter = new("OrleansTabs");

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram(
        "orleanstabs.room.append.messages",
        unit: "{message}",
        description: "Messages per group-commit write of a room's log",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "orleanstabs.room.append.duration",
        unit: "s",
        description: "From a group-commit write of a room's log being sent to Redis to its answer",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1] });

    /// <summary>Records one write of <paramref name="messages"/> messages that took <paramref name="elapsed"/>.</summary>
    public static void Append(int messages, TimeSpan elapsed)
    {
        BatchSize.Record(messages);
        Duration.Record(elapsed.TotalSeconds);
    }
}
