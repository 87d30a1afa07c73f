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

/// <summary>The one silo configuration used by both the split silo host and the all-in-one front-end.</summary>
public static class OrleansTabsSiloExtensions
{
    /// <summary>
    /// Configures a silo for OrleansTabs on Redis: Redis clustering, Redis grain storage for sessions and tabs,
    /// the grains' options and clock, and activity propagation when trace export is on. <paramref name="redis"/> is a
    /// StackExchange.Redis configuration string. A bad <c>Orleans</c> setting throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.
    /// </summary>
    public static ISiloBuilder UseOrleansTabsSilo(this ISiloBuilder silo, IConfiguration configuration, string redis)
    {
        var cluster = OrleansTabsClusterOptionsValidator.Read(configuration);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        silo.ConfigureEndpoints(cluster.AdvertisedAddress(), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: !string.IsNullOrWhiteSpace(cluster.AdvertisedIp));
        silo.UseRedisClustering(o => o.ConfigurationOptions = RedisConfiguration(redis));
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // Notice a dead silo in seconds rather than the default minute or so.
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 2;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(5);

            // A starting silo first pings every silo the table lists as active and waits until each one that does not
            // answer is declared dead. After a whole-deployment restart only the starting silos can vote, and a vote
            // is enough only against entries whose "I am alive" time is stale (older than period x missed limit):
            // with the defaults (30 s x 3) a restarted deployment waited up to 90 s for its old entries. With 5 s
            // (one small Redis write per silo) they are stale 10 s after their silos stopped. A silo restarted at the
            // same endpoint (fixed ports, as configured) marks its own older entry dead at once anyway.
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            o.NumMissedTableIAmAliveLimit = 2;

            // Every restart leaves a dead entry behind; drop those older than an hour instead of keeping them a week.
            o.DefunctSiloExpiration = TimeSpan.FromHours(1);
            o.DefunctSiloCleanupPeriod = TimeSpan.FromMinutes(10);
        });

        // Any of them can be changed per deployment (Orleans:Membership:ProbeTimeout and so on).
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection(OrleansTabsClusterOptions.MembershipSectionName));

        if (TelemetryExport.IsOn(configuration))
        {
            // Grain calls carry the caller's trace context, so a send is one trace from the socket to the Redis write.
            silo.AddActivityPropagation();
        }

        return silo.AddOrleansTabsGrains(configuration, redis);
    }

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
    /// instead of the shared thread pool, where, under load, a reply waited behind the sockets' work for its turn: a
    /// room's durable append is on every send's path (W2, bench/README). Grain storage differs
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
    /// then a pool thread for the grain's continuation, two wake-ups where the pool needs one. Measured: about 95 instead
    /// of 170 us of CPU per lone round trip, and W1's connects + joins 13 % (warm) and 16 % (fresh) faster in three
    /// interleaved pairs (bench/README). The room log keeps the dedicated threads: its append is on every send's path,
    /// and under load its reply must not wait behind the sockets' work.
    /// </summary>
    public static ConfigurationOptions StorageRedisConfiguration(string redis)
    {
        var options = RedisConfiguration(redis);
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }
}
