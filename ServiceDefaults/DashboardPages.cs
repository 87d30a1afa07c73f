using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;

namespace OrleansTabs.ServiceDefaults;

/// <summary>
/// The Orleans dashboard's pages and API, mapped in a pipeline of their own on the first request for them. Mapping the
/// dashboard reads every asset embedded in its assembly and keeps each one twice in memory (as is and compressed),
/// which a host would otherwise carry from its start whether or not anyone ever opens the dashboard. The route that
/// forwards here is an endpoint of the host, so the host's authorization and management-port rules on it guard every
/// dashboard request, before and after the pages are built.
/// </summary>
public sealed class DashboardPages
{
    /// <summary>The dashboard's internal service that holds its assets; mapping it fails without it.</summary>
    public const string AssetProviderType = "Orleans.Dashboard.EmbeddedAssetProvider";

    private readonly IServiceProvider _services;

    private readonly string _routePrefix;

    private readonly Lazy<Task<RequestDelegate>> _pipeline;

    /// <summary>Prepares the pages under <paramref name="routePrefix"/>; throws if the dashboard's services are missing.</summary>
    public DashboardPages(IServiceProvider services, string routePrefix)
    {
        // The dashboard checks its services only when it is mapped: check here, so that a host without them still fails
        // at start-up rather than on the first visit.
        var assets = typeof(DashboardOptions).Assembly.GetType(AssetProviderType)
            ?? throw new InvalidOperationException($"The Orleans dashboard's {AssetProviderType} was not found; update {nameof(DashboardPages)} for this dashboard version.");
        if (services.GetService<IServiceProviderIsService>() is not { } registry || !registry.IsService(assets))
        {
            throw new InvalidOperationException("Orleans Dashboard services have not been registered: call AddDashboard on the silo or client builder.");
        }

        _services = services;
        _routePrefix = routePrefix;
        _pipeline = new(BuildAsync);
    }

    /// <summary>Whether the pages have been built (by a first request for them).</summary>
    public bool IsBuilt => _pipeline.IsValueCreated && _pipeline.Value.IsCompletedSuccessfully;

    /// <summary>Serves a request for the dashboard, building the pages first if no request has yet.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var pipeline = await _pipeline.Value;

        // The dashboard's own routing matches the request again among its endpoints.
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        await pipeline(context);
    }

    /// <summary>
    /// Builds on a thread of its own: reading and compressing the assets is synchronous work that must not hold a pool
    /// thread, which the in-process Redis server shares.
    /// </summary>
    private Task<RequestDelegate> BuildAsync() =>
        Task.Factory.StartNew(Build, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    private RequestDelegate Build()
    {
        var app = new ApplicationBuilder(_services);
        app.UseRouting();
        app.UseEndpoints(endpoints => endpoints.MapOrleansDashboard(_routePrefix));
        return app.Build();
    }
}
