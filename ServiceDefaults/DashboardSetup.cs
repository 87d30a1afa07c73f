using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        if (!configuration.GetValue<bool>(ProfileGrainCallsKey))
        {
            RemoveGrainProfiler(silo.Services);
        }

        return silo;
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
