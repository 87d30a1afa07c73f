using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.Web.Hosting;

/// <summary>Forwarded headers from the trusted proxies of <see cref="ProxyOptions"/>: client address and scheme.</summary>
public static class ForwardedHeadersSetup
{
    /// <summary>Registers and validates the options.</summary>
    public static IServiceCollection AddOrleansTabsForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ProxyOptions, ProxyOptionsValidator>(configuration, ProxyOptions.SectionName);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            var o = proxies.Value;
            if (o.KnownProxies.Length == 0 && o.KnownNetworks.Length == 0)
            {
                return; // ASP.NET Core's default: loopback proxies only.
            }

            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in o.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in o.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }
}
