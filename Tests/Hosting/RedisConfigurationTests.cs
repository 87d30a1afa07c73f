using OrleansTabs.Grains.Hosting;
using StackExchange.Redis;

namespace OrleansTabs.Tests.Hosting;

/// <summary>How every Redis connection of a process (clustering, grain storage, room logs, Data Protection) is configured.</summary>
public sealed class RedisConfigurationTests
{
    [Fact]
    public void ConnectionsStartBeforeRedisAndReadRepliesOnTheClientLibrarysOwnThreads()
    {
        var options = OrleansTabsSiloExtensions.RedisConfiguration("127.0.0.1:6379,password=secret");

        Assert.False(options.AbortOnConnectFail);
        Assert.Same(SocketManager.Shared, options.SocketManager);
        Assert.Equal("secret", options.Password);
    }
}
