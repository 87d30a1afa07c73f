using Microsoft.Extensions.Hosting;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>The split topology: one silo and two Web front-ends (Orleans clients) on one Redis-backed cluster.</summary>
public sealed class SplitClusterFixture : IAsyncLifetime
{
    private IHost _silo = null!;

    public RunningWeb Web1 { get; private set; } = null!;

    public RunningWeb Web2 { get; private set; } = null!;

    /// <summary>The settings the cluster was started with, for further front-ends.</summary>
    public Dictionary<string, string?> Settings { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var serviceId = TestRedis.NewServiceId("split");
        var settings = TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Sockets:ResumeWindow"] = "00:00:00.200",
        });
        Settings = settings;
        _silo = await TestHosts.StartSiloAsync(settings);
        Web1 = await TestHosts.StartWebAsync("Client", settings);
        Web2 = await TestHosts.StartWebAsync("Client", settings);
    }

    public async Task DisposeAsync()
    {
        await Web1.DisposeAsync();
        await Web2.DisposeAsync();
        await _silo.StopAsync();
        _silo.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SplitClusterCollection : ICollectionFixture<SplitClusterFixture>
{
    public const string Name = "split";
}
