using Microsoft.Extensions.DependencyInjection;
using OrleansTabs.Sessions;
using OrleansTabs.Tests.Infrastructure;
using OrleansTabs.Users;

namespace OrleansTabs.Tests.Grains;

/// <summary>A user with no session leaves nothing behind in storage.</summary>
[Collection(GrainCollection.Name)]
public sealed class UserGrainTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task TheUserRecordGoesWithTheLastSession()
    {
        var user = "u" + Guid.NewGuid().ToString("N");
        var first = await StartAsync(user);
        var second = await StartAsync(user);
        Assert.Single(Keys(user));

        await fixture.Client.GetGrain<ISessionGrain>(first).LogoutAsync();
        await Deadline.UntilAsync(async () => (await fixture.Client.GetGrain<IUserGrain>(user).GetSessionsAsync()).Length == 1, "the ended session is forgotten");
        Assert.Single(Keys(user));

        await fixture.Client.GetGrain<ISessionGrain>(second).LogoutAsync();
        await Deadline.UntilAsync(() => Keys(user).Length == 0, "the user's record is deleted with its last session");
    }

    [Fact]
    public async Task SigningOutEverywhereLeavesNoUserRecord()
    {
        var user = "u" + Guid.NewGuid().ToString("N");
        await StartAsync(user);
        await StartAsync(user);

        Assert.Equal(2, await fixture.Client.GetGrain<IUserGrain>(user).LogoutAllAsync());

        await Deadline.UntilAsync(() => Keys(user).Length == 0, "the user's record is deleted");
    }

    private async Task<string> StartAsync(string user)
    {
        var session = "s" + Guid.NewGuid().ToString("N");
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync(user);
        await fixture.Client.GetGrain<IUserGrain>(user).AddSessionAsync(session);
        return session;
    }

    private StackExchange.Redis.RedisKey[] Keys(string user) =>
        [.. fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<OrleansTabs.Grains.Hosting.RedisConnection>().Multiplexer.GetServers()[0].Keys(pattern: $"*{user}*")];
}
