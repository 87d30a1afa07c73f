using Microsoft.Extensions.Time.Testing;
using OrleansTabs.Grains.Diagnostics;

namespace OrleansTabs.Tests.Grains;

/// <summary>A periodic task tells a pause of its process from time passing, and opens a grace period after one.</summary>
public sealed class PauseWatchTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    [Fact]
    public void TicksOnTimeAreNeverAPause()
    {
        var clock = new FakeTimeProvider();
        var watch = new PauseWatch(clock, TimeSpan.FromSeconds(3));
        for (var i = 0; i < 100; i++)
        {
            clock.Advance(Tick);
            Assert.False(watch.Check(Heartbeat));
            Assert.False(watch.Paused);
        }

        // Late, but by less than the threshold: a busy process, not a paused one.
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.False(watch.Check(Heartbeat));
    }

    [Fact]
    public void APauseStartsAGracePeriodOfOneHeartbeatAfterItEnds()
    {
        var clock = new FakeTimeProvider();
        var watch = new PauseWatch(clock, TimeSpan.FromSeconds(3));
        Assert.False(watch.Check(Heartbeat));

        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.True(watch.Check(Heartbeat));
        Assert.True(watch.Paused);
        Assert.Equal(TimeSpan.FromSeconds(40), watch.LastPause);

        for (var passed = Tick; passed < Heartbeat; passed += Tick)
        {
            clock.Advance(Tick);
            Assert.True(watch.Check(Heartbeat), $"still within the grace {passed} after the pause");
            Assert.False(watch.Paused);
        }

        clock.Advance(Tick);
        Assert.False(watch.Check(Heartbeat), "the grace ends one heartbeat after the pause");
    }
}
