using Microsoft.Extensions.DependencyInjection;
using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Hosting;
using OrleansTabs.Rooms;
using OrleansTabs.Sessions;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;
using OrleansTabs.Topics;
using OrleansTabs.Users;
using StackExchange.Redis;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// Grain state is stored under <c>{ServiceId}/state/{grain type}/{key}/{state name}</c> and reminders under the grain id,
/// so the grain type names are part of what is stored: they stay what they are, whatever the classes are called.
/// </summary>
[Collection(GrainCollection.Name)]
public sealed class StoredStateKeyTests(GrainClusterFixture fixture)
{
    [Fact]
    public void GrainTypesAreTheStoredNames()
    {
        var grains = fixture.Client;

        Assert.Equal("session", grains.GetGrain<ISessionGrain>("k").GetGrainId().Type.ToString());
        Assert.Equal("tab", grains.GetGrain<ITabGrain>("s/chat/t").GetGrainId().Type.ToString());
        Assert.Equal("room", grains.GetGrain<IRoomGrain>("k").GetGrainId().Type.ToString());
        Assert.Equal("topic", grains.GetGrain<ITopicGrain>("k").GetGrainId().Type.ToString());
        Assert.Equal("user", grains.GetGrain<IUserGrain>("k").GetGrainId().Type.ToString());
        Assert.Equal("frontenddirectory", grains.GetFrontEndDirectory().GetGrainId().Type.ToString());
        Assert.Equal("frontendtabs", grains.GetGrain<IFrontEndTabsGrain>("k").GetGrainId().Type.ToString());
    }

    [Fact]
    public async Task SessionStateIsWrittenUnderItsStoredKey()
    {
        var session = "s" + Guid.NewGuid().ToString("N");

        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("u" + Guid.NewGuid().ToString("N"));

        Assert.True(await Redis().KeyExistsAsync(StateKey("session", session, "session")));
    }

    [Fact]
    public async Task StoredTabStateIsFoundUnderItsKeyAndRead()
    {
        var key = new TabAddress("s" + Guid.NewGuid().ToString("N"), "t1", "chat").ToGrainKey();
        await Redis().HashSetAsync(StateKey("tab", key, "tab"),
        [
            new HashEntry("etag", "stored"),
            new HashEntry("data", Convert.FromBase64String(StoredStateBytes.Tab)),
        ]);

        var replay = await fixture.Client.GetGrain<ITabGrain>(key).ReplayAsync(StreamNames.Tab, 0);

        var stored = Assert.Single(StoredStateSamples.Tab().Queue);
        var message = Assert.Single(replay);
        Assert.Equal((stored.Offset, stored.Id, stored.PayloadJson), (message.Offset, message.Id, message.PayloadJson));
        Assert.Equal(StoredStateSamples.Tab().Epoch, message.Epoch);
    }

    private RedisKey StateKey(string grainType, string key, string stateName) =>
        $"{fixture.Cluster.Options.ServiceId}/state/{grainType}/{key}/{stateName}";

    private IDatabase Redis() =>
        fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<RedisConnection>().Multiplexer.GetDatabase();
}
