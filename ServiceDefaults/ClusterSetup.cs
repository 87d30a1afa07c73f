using OrleansTabs.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using OrleansTabs.Grains.Options;
using StackExchange.Redis;

namespace OrleansTabs.ServiceDefaults;

/// <summary>How the project's hosts (the split silo, the all-in-one server) join their Orleans cluster.</summary>
public static class ClusterSetup
{
    /// <summary>The variable Kubernetes sets in every container: the API server's address.</summary>
    public const string KubernetesServiceHost = "KUBERNETES_SERVICE_HOST";

    /// <summary>
    /// Joins a silo to this deployment's cluster on Redis: its ids, endpoints, Redis clustering with membership timings
    /// that notice a dead silo in seconds, and activity propagation when trace export is on. The grains are added
    /// apart (<c>siloBuilder.AddOrleansTabs</c>). With <c>Orleans:KubernetesHosting</c> true, in a pod, Orleans'
    /// Kubernetes hosting names the silo and finds its address (see <see cref="OrleansTabsClusterOptions.KubernetesHosting"/>).
    /// <paramref name="redis"/> is a
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
        if (cluster.KubernetesHosting)
        {
            silo.UseOrleansTabsKubernetesHosting(configuration, cluster);
        }
        else
        {
            silo.ConfigureEndpoints(cluster.AdvertisedAddress(), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: !string.IsNullOrWhiteSpace(cluster.AdvertisedIp));
        }

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

    /// <summary>
    /// Orleans' Kubernetes hosting (<c>Orleans:KubernetesHosting</c>): the silo is named after its pod (<c>POD_NAME</c>),
    /// advertises <c>Orleans:AdvertisedIp</c> or else the pod's IP (<c>POD_IP</c>), listens on every interface, and
    /// watches the pods labelled with its cluster and service ids (<c>orleans/clusterId</c>, <c>orleans/serviceId</c>)
    /// in its namespace (<c>POD_NAMESPACE</c>). <c>ORLEANS_CLUSTER_ID</c> and <c>ORLEANS_SERVICE_ID</c>, when set,
    /// override <c>Orleans:ClusterId</c> and <c>Orleans:ServiceId</c>.
    /// </summary>
    private static void UseOrleansTabsKubernetesHosting(this ISiloBuilder silo, IConfiguration configuration, OrleansTabsClusterOptions cluster)
    {
        // The agent talks to the API server with the pod's service account; outside a pod it fails deep in start-up
        // with a missing token file, so refuse here with the setting's name. The default hosts' configuration includes
        // the environment, where Kubernetes sets this variable in every container.
        if (string.IsNullOrWhiteSpace(configuration[KubernetesServiceHost]))
        {
            var check = new OptionsCheck(OrleansTabsClusterOptions.SectionName);
            check.Fail(nameof(cluster.KubernetesHosting), $"is true, but this process is not in a Kubernetes pod ({KubernetesServiceHost} is unset).");
            throw new OptionsValidationException(OrleansTabsClusterOptions.SectionName, typeof(OrleansTabsClusterOptions), check.Result().Failures);
        }

        if (string.IsNullOrWhiteSpace(cluster.AdvertisedIp))
        {
            // Ports only: the hosting sets the advertised address (the pod's IP) and the listening endpoints after
            // every other configuration, and only where none is set.
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = cluster.SiloPort;
                o.GatewayPort = cluster.GatewayPort;
            });
        }
        else
        {
            silo.ConfigureEndpoints(cluster.AdvertisedAddress(), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        }

        silo.UseKubernetesHosting();
    }

    /// <summary>A StackExchange.Redis configuration string, parsed so that a host starts before Redis does.</summary>
    public static ConfigurationOptions RedisConfiguration(string redis)
    {
        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        return options;
    }
}
