using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.Runtime;

namespace OrleansTabs.ServiceDefaults;

/// <summary>
/// The Orleans dashboard of every host: its sampling rate, on a silo its per-call profiling off unless asked for, and
/// its pages built on their first visit.
/// </summary>
public static class DashboardSetup
{
    /// <summary>The configuration section of the dashboard's settings (Orleans' <see cref="DashboardOptions"/> and this project's).</summary>
    public const string SectionName = "OrleansTabs:Dashboard";

    /// <summary>The setting that keeps the dashboard's grain method profiling (off by default).</summary>
    public const string ProfileGrainCallsKey = SectionName + ":ProfileGrainCalls";

    /// <summary>The full name of the dashboard's incoming grain call filter (an internal type of the dashboard).</summary>
    public const string ProfilerFilterType = "Orleans.Dashboard.Implementation.GrainProfilerFilter";

    /// <summary>The dashboard's host (an internal type of the dashboard), whose meter reader samples Orleans' meter.</summary>
    public const string HostType = "Orleans.Dashboard.DashboardHost";

    /// <summary>The dashboard host's sampling period in milliseconds (an internal init-only property of it).</summary>
    public const string SamplePeriodProperty = "ExportIntervalMilliseconds";

    /// <summary>
    /// The Orleans dashboard samples every meter of the process on each update, work that grows with the number of
    /// activations: sampling every few seconds rather than every second keeps an idle host idle.
    /// <c>OrleansTabs:Dashboard</c> overrides.
    /// </summary>
    public static void ConfigureDefaults(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DashboardOptions>(o => o.CounterUpdateIntervalMs = 5000);
        services.Configure<DashboardOptions>(configuration.GetSection(SectionName));
    }

    /// <summary>
    /// Adds the dashboard. Its grain method profiling is an incoming grain call filter, and any such filter takes every
    /// grain call of the silo off Orleans' direct path: a call context, an invoker and one more asynchronous step on
    /// each call, whether or not anyone looks at the figures. Off by default;
    /// <c>OrleansTabs:Dashboard:ProfileGrainCalls</c> = <c>true</c> keeps it (the dashboard's grain method tables are
    /// empty without it). Everything else the dashboard shows comes from the meters and the silos and is unaffected.
    /// </summary>
    public static ISiloBuilder AddOrleansTabsDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.AddDashboard();
        SampleAtTheUpdateInterval(silo.Services);
        if (!configuration.GetValue<bool>(ProfileGrainCallsKey))
        {
            RemoveGrainProfiler(silo.Services);
        }

        return silo;
    }

    /// <summary>
    /// The dashboard's pages refresh every <see cref="DashboardOptions.CounterUpdateIntervalMs"/>, but its meter reader
    /// collects Orleans' meter every second whatever that setting says, and each collection runs gauges that walk every
    /// activation and the grain directory's cache. Its host is built here with its sampling period set to the update
    /// interval (at least a second, as the dashboard's own timers take it); throws if the dashboard no longer has that
    /// host or period, rather than sample every second unseen.
    /// </summary>
    private static void SampleAtTheUpdateInterval(IServiceCollection services)
    {
        var index = -1;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType.FullName == HostType && services[i].ImplementationType == services[i].ServiceType)
            {
                index = i;
            }
        }

        var hostType = index >= 0 ? services[index].ServiceType : null;
        var period = hostType?.GetProperty(SamplePeriodProperty, BindingFlags.Instance | BindingFlags.NonPublic);
        if (hostType is null || period is null || period.PropertyType != typeof(int))
        {
            throw new InvalidOperationException($"The Orleans dashboard's host ({HostType}) or its sampling period ({SamplePeriodProperty}) was not found; update {nameof(DashboardSetup)} for this dashboard version.");
        }

        services[index] = ServiceDescriptor.Singleton(hostType, provider =>
        {
            var host = ActivatorUtilities.CreateInstance(provider, hostType);
            period.SetValue(host, Math.Max(provider.GetRequiredService<IOptions<DashboardOptions>>().Value.CounterUpdateIntervalMs, 1000));
            return host;
        });
    }

    /// <summary>Removes the dashboard's grain call filter; throws if the dashboard no longer registers it as expected.</summary>
    private static void RemoveGrainProfiler(IServiceCollection services)
    {
        var removed = 0;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IIncomingGrainCallFilter) && services[i].ImplementationType?.FullName == ProfilerFilterType)
            {
                services.RemoveAt(i);
                removed++;
            }
        }

        if (removed == 0)
        {
            // A newer dashboard registers its profiler differently: fail at start-up rather than profile every call unseen.
            throw new InvalidOperationException($"The Orleans dashboard's grain profiler ({ProfilerFilterType}) was not found to switch off; set {ProfileGrainCallsKey} to true or update {nameof(DashboardSetup)}.");
        }
    }

    /// <summary>
    /// Maps the dashboard under <paramref name="routePrefix"/> as <c>MapOrleansDashboard</c> does, with its pages built on
    /// the first request for them (<see cref="DashboardPages"/>). What the returned builder adds (authorization, the
    /// management port) applies to every dashboard request.
    /// </summary>
    public static IEndpointConventionBuilder MapOrleansDashboardOnFirstVisit(this IEndpointRouteBuilder endpoints, string routePrefix)
    {
        var pages = new DashboardPages(endpoints.ServiceProvider, routePrefix);

        // A catch-all also matches the prefix itself, which the dashboard redirects to the prefix with a slash.
        return endpoints.MapGet(routePrefix + "/{**path}", pages.InvokeAsync).WithMetadata(pages);
    }
}
