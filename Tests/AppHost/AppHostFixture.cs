using Microsoft.Extensions.DependencyInjection;
using Orleans;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.AppHost;

/// <summary>The application's front-end in one topology, started once per collection on a cluster of its own.</summary>
public abstract class AppHostFixture : IAsyncLifetime
{
    public RunningWeb Web { get; private set; } = null!;

    public Uri Server => Web.Address;

    /// <summary>The front-end's <see cref="IOrleansTabs"/>, as the application's own code injects it.</summary>
    public IOrleansTabs Tabs => Web.Service<IOrleansTabs>();

    /// <summary>The front-end's grain factory (its co-hosted silo's, or its cluster client's).</summary>
    public IGrainFactory Grains => Web.Service<IGrainFactory>();

    public async Task InitializeAsync() => Web = await StartAsync(TestRedis.NewServiceId("app"));

    public virtual async Task DisposeAsync() => await Web.DisposeAsync();

    /// <summary>Starts whatever the topology runs besides the front-end, then the front-end.</summary>
    protected abstract Task<RunningWeb> StartAsync(string serviceId);
}
