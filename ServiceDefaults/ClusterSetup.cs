using OrleansTabs.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace OrleansTabs.ServiceDefaults;

/// <summary>How the project's hosts (the split silo, the all-in-one server) join their Orleans cluster.</summary>
public static class ClusterSetup
{
    /// <summary>
    /// Joins a silo to this deployment's cluster on Redis: its ids, endpoints, Redis clustering with membership timings
    /// that notice a dead silo in seconds, and activity propagation when trace export is on. The grains are added
    /// apart (<c>siloBuilder.AddOrleansTabs</c>). <paramref name="redis"/> is a
    /// StackExchange.Redis configuration string. A bad <c>Orleans</c> setting throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.
    /// </summary>
    public static ISiloBuilder UseOrleansTabsCluster(this ISiloBuilder silo, IConfiguration configuration, string redis)
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
            // with the defaults (30 s x 3) a restarted deployment would wait up to 90 s for its old entries. With 5 s
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

        return silo;
    }

    /// <summary>A StackExchange.Redis configuration string, parsed so that a host starts before Redis does.</summary>
    public static ConfigurationOptions RedisConfiguration(string redis)
    {
        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        return options;
    }
}
