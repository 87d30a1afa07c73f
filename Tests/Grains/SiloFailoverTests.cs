using Orleans.Runtime;
using OrleansTabs.Grains.Rooms;
using OrleansTabs.Rooms;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Grains;

/// <summary>Two silos sharing Redis storage; the one hosting the room is killed.</summary>
public sealed class TwoSiloClusterFixture : GrainClusterFixture
{
    public TwoSiloClusterFixture()
        : base(2)
    {
    }
}

public sealed class SiloFailoverTests(TwoSiloClusterFixture fixture) : IClassFixture<TwoSiloClusterFixture>
{
    [Fact]
    public async Task EveryAcknowledgedMessageSurvivesTheLossOfTheSiloHostingTheRoom()
    {
        var name = "failover-" + Guid.NewGuid().ToString("N")[..8];
        var room = fixture.Client.GetGrain<IRoomGrain>(name);
        var acked = new List<long>();
        // The fixture retains 5 messages per room: every one of them must survive.
        for (var i = 0; i < 5; i++)
        {
            acked.Add((await room.PostAsync(new PostRequest("s/chat/t", $"c{i}", "u", "t", $"m{i}"))).Offset);
        }

        var host = await HostOfAsync(name);
        var victim = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        await fixture.Cluster.KillSiloAsync(victim);

        // Calls are refused until membership declares the silo dead; then the room reactivates from Redis.
        IReadOnlyList<long> survived = [];
        await Deadline.UntilAsync(
            async () =>
            {
                try
                {
                    survived = [.. (await room.HistoryAsync(null, 200)).Messages.Select(m => m.Offset)];
                    return true;
                }
                catch (Exception ex) when (ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
                {
                    return false;
                }
            },
            "the room answers again after the silo loss",
            TimeSpan.FromSeconds(60));

        Assert.Equal(acked, survived);
        Assert.True((await room.PostAsync(new PostRequest("s/chat/t", "c4", "u", "t", "m4"))).Duplicate);
        Assert.Equal(6, (await room.PostAsync(new PostRequest("s/chat/t", "after", "u", "t", "after"))).Offset);
    }

    private async Task<SiloAddress> HostOfAsync(string room)
    {
        var address = await fixture.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(fixture.Client.GetGrain<IRoomGrain>(room));
        return address ?? throw new InvalidOperationException($"Room {room} has no activation.");
    }
}
