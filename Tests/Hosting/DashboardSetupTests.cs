using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansTabs.ServiceDefaults;

namespace OrleansTabs.Tests.Hosting;

/// <summary>
/// The dashboard's grain method profiling is a filter on every grain call: off unless configured; and its meter sampling
/// follows its update interval.
/// </summary>
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

    [Theory]
    [InlineData(null, 5000)]
    [InlineData("15000", 15000)]
    [InlineData("10", 1000)]
    public void TheDashboardSamplesTheMetersAtItsUpdateIntervalNotEverySecond(string? setting, int expected)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (setting is not null)
        {
            builder.Configuration.AddInMemoryCollection([new(DashboardSetup.SectionName + ":CounterUpdateIntervalMs", setting)]);
        }

        DashboardSetup.ConfigureDefaults(builder.Services, builder.Configuration);
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddOrleansTabsDashboard(builder.Configuration));
        using var host = builder.Build();

        var hostType = Assert.Single(builder.Services, d => d.ServiceType.FullName == DashboardSetup.HostType).ServiceType;
        var dashboardHost = host.Services.GetRequiredService(hostType);
        var period = hostType.GetProperty(DashboardSetup.SamplePeriodProperty, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        Assert.Equal(expected, period.GetValue(dashboardHost));
    }

    private static List<ServiceDescriptor> SiloServices(string? profile)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new(DashboardSetup.ProfileGrainCallsKey, profile)]);
        builder.UseOrleans(silo => silo.AddOrleansTabsDashboard(builder.Configuration));
        return [.. builder.Services];
    }
}
