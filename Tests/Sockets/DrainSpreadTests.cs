using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Sockets;

/// <summary>The drain's pacing on a fake clock: the i-th of n sockets closes at i/n of the window, none earlier.</summary>
public sealed class DrainSpreadTests
{
    [Fact]
    public async Task ClosesAreSpreadEvenlyOverTheWindowInOrder()
    {
        var clock = new FakeTimeProvider();
        var closed = new List<(int Item, TimeSpan At)>();
        var start = clock.GetUtcNow();
        var spreading = FrontEndDrain.SpreadAsync([0, 1, 2, 3], i =>
        {
            lock (closed)
            {
                closed.Add((i, clock.GetUtcNow() - start));
            }
        }, TimeSpan.FromSeconds(8), clock, CancellationToken.None);

        // Each step of the fake clock lets exactly one more close out: 0 at once, then one every 2 s.
        for (var step = 1; step <= 4; step++)
        {
            await Deadline.UntilAsync(() => Count(closed) >= step, $"{step} closes");
            Assert.Equal(step, Count(closed));
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
            Assert.Equal(step, Count(closed));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await spreading.WaitAsync(Deadline.Default);
        Assert.Equal([(0, TimeSpan.Zero), (1, TimeSpan.FromSeconds(2)), (2, TimeSpan.FromSeconds(4)), (3, TimeSpan.FromSeconds(6))], closed);
    }

    [Fact]
    public async Task AZeroWindowClosesEverythingAtOnce()
    {
        var closed = 0;
        await FrontEndDrain.SpreadAsync(Enumerable.Range(0, 100).ToList(), _ => closed++, TimeSpan.Zero, new FakeTimeProvider(), CancellationToken.None)
            .WaitAsync(Deadline.Default);
        Assert.Equal(100, closed);
    }

    [Theory]
    [InlineData("00:00:10", 30)]
    [InlineData("00:01:00", 80)]
    public void TheHostsShutdownTimeoutIsRaisedToCoverTheDrain(string window, int seconds)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["OrleansTabs:FrontEnd:DrainWindow"] = window }).Build());
        services.AddOrleansTabs();
        using var provider = services.BuildServiceProvider();

        // The window, the sockets' close timeout (5 s) and a margin for the cluster connection to stop.
        Assert.Equal(TimeSpan.FromSeconds(seconds), provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void AHostsLongerShutdownTimeoutStays()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        services.AddOrleansTabs();
        using var provider = services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromMinutes(2), provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    private static int Count(List<(int, TimeSpan)> closed)
    {
        lock (closed)
        {
            return closed.Count;
        }
    }
}
