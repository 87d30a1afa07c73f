using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OrleansTabs.Rooms;

namespace OrleansTabs.Tests.Grains;

/// <summary>The room log's metrics: every group-commit write records its size and how long Redis took.</summary>
[Collection(GrainCollection.Name)]
public sealed class RoomMetricsTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task EveryWriteRecordsItsMessagesAndItsDuration()
    {
        var sizes = new ConcurrentQueue<int>();
        var durations = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "OrleansTabs" && instrument.Name.StartsWith("orleanstabs.room.append.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => sizes.Enqueue(value));
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => durations.Enqueue(value));
        listener.Start();

        var name = "r-" + Guid.NewGuid().ToString("N")[..12];
        var room = fixture.Client.GetGrain<IRoomGrain>(name);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => room.PostAsync(new PostRequest("s/chat/m", $"m{i}", "user", "m", "hi"))));

        // Other tests may write meanwhile: this room's writes are among what was recorded, one size and one duration each.
        var writes = CountingRoomLog.AppendsTo(name);
        Assert.True(sizes.Count >= writes && durations.Count >= writes, $"{sizes.Count} sizes and {durations.Count} durations for {writes} writes");
        Assert.True(sizes.Sum() >= 20, $"the recorded writes carried {sizes.Sum()} messages, fewer than the 20 posted");
        Assert.All(sizes, size => Assert.InRange(size, 1, 256));
        Assert.All(durations, seconds => Assert.True(seconds >= 0, $"a negative duration {seconds}"));
    }
}
