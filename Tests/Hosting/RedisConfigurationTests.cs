using OrleansTabs.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Persistence;
using OrleansTabs.Grains;
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

    [Fact]
    public void GrainStorageReadsItsRepliesOnTheThreadPoolAndIsOtherwiseConfiguredTheSame()
    {
        const string Redis = "127.0.0.1:6379,password=secret";
        var storage = OrleansTabsSiloExtensions.StorageRedisConfiguration(Redis);

        Assert.Same(SocketManager.ThreadPool, storage.SocketManager);
        Assert.Equal(OrleansTabsSiloExtensions.RedisConfiguration(Redis).ToString(includePassword: true), storage.ToString(includePassword: true));
    }

    [Fact]
    public void TheSilosGrainStorageUsesTheStorageConfiguration()
    {
        // Built, not started: only the registered options are read.
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseOrleansTabsCluster(new ConfigurationBuilder().Build(), "127.0.0.1:6379").AddOrleansTabs("127.0.0.1:6379"));
        using var host = builder.Build();

        var storage = host.Services.GetRequiredService<IOptionsMonitor<RedisStorageOptions>>().Get(GrainServiceCollectionExtensions.StorageName);

        Assert.Same(SocketManager.ThreadPool, storage.ConfigurationOptions!.SocketManager);
    }
}
