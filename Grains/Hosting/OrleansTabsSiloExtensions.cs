using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansTabs.Grains.Rooms;
using OrleansTabs.Grains.Storage;
using StackExchange.Redis;

namespace OrleansTabs.Grains.Hosting;

/// <summary>The grains' Redis connections, and their registration with options bound from a given configuration.</summary>
public static class OrleansTabsSiloExtensions
{
    /// <summary>
    /// What the grains need whatever the clustering (<c>siloBuilder.AddOrleansTabs</c>), with the grains' options bound
    /// from <paramref name="configuration"/> as well as from the host's.
    /// </summary>
    public static ISiloBuilder AddOrleansTabsGrains(this ISiloBuilder silo, IConfiguration configuration, string redis)
    {
        // Bound after AddOrleansTabs' own binding, so these settings are the last word.
        silo.AddOrleansTabs(redis);
        silo.Services.AddOrleansTabsGrains(configuration);
        return silo;
    }

    /// <summary>
    /// Parses a Redis configuration string. Aborting on connect failure is off, so a silo starts before Redis does. The
    /// connection reads its replies on the client library's own dedicated threads (<see cref="SocketManager.Shared"/>)
    /// instead of the shared thread pool, where, under load, a reply would wait behind the sockets' work for its turn: a
    /// room's durable append is on every send's path. Grain storage differs
    /// (<see cref="StorageRedisConfiguration"/>).
    /// </summary>
    public static ConfigurationOptions RedisConfiguration(string redis)
    {
        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        options.SocketManager = SocketManager.Shared;
        return options;
    }

    /// <summary>
    /// The grain storage's connection (<see cref="RedisConfiguration"/> otherwise): it reads its replies on the .NET
    /// thread pool. Its round trips (a tab's state read when it activates, a session's and a tab's writes on a connect
    /// and a join) come one or two at a time, not in a stream: a reply read on a dedicated thread wakes that thread and
    /// then a pool thread for the grain's continuation, two wake-ups where the pool needs one, and a connect makes
    /// several such round trips. The room log keeps the dedicated threads: its append is on every send's path, and
    /// under load its reply must not wait behind the sockets' work.
    /// </summary>
    public static ConfigurationOptions StorageRedisConfiguration(string redis)
    {
        var options = RedisConfiguration(redis);
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }
}
