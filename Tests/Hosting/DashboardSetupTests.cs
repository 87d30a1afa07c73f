using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansTabs.ServiceDefaults;

namespace OrleansTabs.Tests.Hosting;

/// <summary>The dashboard's grain method profiling is a filter on every grain call: off unless configured.</summary>
public sealed class DashboardSetupTests
{
    [Fact]
    public void ByDefaultNoGrainCallGoesThroughAFilter()
    {
        var services = SiloServices(profile: null);

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IIncomingGrainCallFilter));

        // The rest of the dashboard is still there.
        Assert.Contains(services, d => d.ServiceType.FullName == "Orleans.Dashboard.Metrics.IGrainProfiler");
    }

    [Fact]
    public void TheSettingKeepsTheProfiler()
    {
        var services = SiloServices(profile: "true");

        var filter = Assert.Single(services, d => d.ServiceType == typeof(IIncomingGrainCallFilter));
        Assert.Equal(DashboardSetup.ProfilerFilterType, filter.ImplementationType?.FullName);
    }

    private static List<ServiceDescriptor> SiloServices(string? profile)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new(DashboardSetup.ProfileGrainCallsKey, profile)]);
        builder.UseOrleans(silo => silo.AddOrleansTabsDashboard(builder.Configuration));
        return [.. builder.Services];
    }
}
