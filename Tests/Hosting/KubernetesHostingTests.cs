using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using OrleansTabs.ServiceDefaults;

namespace OrleansTabs.Tests.Hosting;

/// <summary>
/// <c>UseOrleansTabsCluster</c> wires Orleans' Kubernetes hosting only when <c>Orleans:KubernetesHosting</c> asks for it
/// in a pod. Built, not started: only registrations are read, and the configuration is the test's own, so a test run
/// inside a pod sees the same as one outside.
/// </summary>
public sealed class KubernetesHostingTests
{
    private const string Redis = "127.0.0.1:6379";

    [Fact]
    public void WithTheOptInInAPodTheSiloHasTheClusterAgentAndLeavesItsAddressToThePod()
    {
        using var silo = Silo(new() { ["Orleans:KubernetesHosting"] = "true", [ClusterSetup.KubernetesServiceHost] = "10.96.0.1", ["Orleans:SiloPort"] = "11112" });

        Assert.True(HasClusterAgent(silo));
        Assert.Contains(silo.Services.GetServices<IValidateOptions<KubernetesHostingOptions>>(), v => v.GetType().Assembly == typeof(KubernetesHostingOptions).Assembly);

        // Only this project's own settings, before the hosting's post-configuration (which reads the pod's variables):
        // the ports are set and no address is, so the hosting advertises the pod's IP.
        var endpoints = OwnEndpointSettings(silo);
        Assert.Null(endpoints.AdvertisedIPAddress);
        Assert.Equal(11112, endpoints.SiloPort);
        Assert.Equal(30000, endpoints.GatewayPort);
    }

    [Fact]
    public void WithTheOptInAndAnAdvertisedIpThatAddressIsAdvertisedOnEveryInterface()
    {
        using var silo = Silo(new() { ["Orleans:KubernetesHosting"] = "true", [ClusterSetup.KubernetesServiceHost] = "10.96.0.1", ["Orleans:AdvertisedIp"] = "10.1.2.3" });

        Assert.True(HasClusterAgent(silo));
        var endpoints = OwnEndpointSettings(silo);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), endpoints.AdvertisedIPAddress);
        Assert.Equal(IPAddress.Any, endpoints.SiloListeningEndpoint?.Address);
    }

    [Fact]
    public void WithoutTheOptInAPodIsHostedAsAnywhereElse()
    {
        using var silo = Silo(new() { [ClusterSetup.KubernetesServiceHost] = "10.96.0.1" });

        Assert.False(HasClusterAgent(silo));
        Assert.Empty(silo.Services.GetServices<IValidateOptions<KubernetesHostingOptions>>());
        var endpoints = silo.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.StartsWith("Silo_", silo.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOptInOutsideAPodIsRefusedNamingTheSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Silo(new() { ["Orleans:KubernetesHosting"] = "true" }));

        Assert.Contains("Orleans:KubernetesHosting", error.Message, StringComparison.Ordinal);
        Assert.Contains(ClusterSetup.KubernetesServiceHost, error.Message, StringComparison.Ordinal);
    }

    private static BuiltSilo Silo(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseOrleansTabsCluster(configuration, Redis).AddOrleansTabs(Redis));
        return new BuiltSilo(builder.Build(), [.. builder.Services]);
    }

    // Read from the registrations: resolving the agent would connect it to an API server.
    private static bool HasClusterAgent(BuiltSilo silo) =>
        silo.Registrations.Any(d => d.ServiceType == typeof(ILifecycleParticipant<ISiloLifecycle>) && d.ImplementationType == typeof(KubernetesClusterAgent));

    private static EndpointOptions OwnEndpointSettings(BuiltSilo silo)
    {
        var endpoints = new EndpointOptions();
        foreach (var configure in silo.Host.Services.GetServices<IConfigureOptions<EndpointOptions>>())
        {
            configure.Configure(endpoints);
        }

        return endpoints;
    }

    /// <summary>A silo host, built, with the registrations it was built from.</summary>
    private sealed record BuiltSilo(IHost Host, IReadOnlyList<ServiceDescriptor> Registrations) : IDisposable
    {
        public IServiceProvider Services => Host.Services;

        public void Dispose() => Host.Dispose();
    }
}
