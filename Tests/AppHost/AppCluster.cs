using System.Net;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.AppHost;

/// <summary>How the application's silos and clients find each other: Redis clustering under one service id, on loopback.</summary>
public static class AppCluster
{
    /// <summary>A silo of the cluster <paramref name="serviceId"/>, on two free loopback ports.</summary>
    public static ISiloBuilder JoinAppCluster(this ISiloBuilder silo, string serviceId)
    {
        var (siloPort, gatewayPort) = TestHosts.FreePortPair();
        return silo.UseRedisClustering(TestRedis.ConnectionString)
            .Configure<ClusterOptions>(o => Name(o, serviceId))
            .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
    }

    /// <summary>A client of the cluster <paramref name="serviceId"/>: its gateways are the silos in Redis.</summary>
    public static IClientBuilder JoinAppCluster(this IClientBuilder client, string serviceId) =>
        client.UseRedisClustering(TestRedis.ConnectionString)
            .Configure<ClusterOptions>(o => Name(o, serviceId));

    private static void Name(ClusterOptions options, string serviceId)
    {
        options.ServiceId = serviceId;
        options.ClusterId = serviceId;
    }
}
