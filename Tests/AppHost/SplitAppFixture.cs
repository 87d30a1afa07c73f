using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.AppHost;

/// <summary>
/// The application split: a silo host with OrleansTabs' grains and the application's, and a front-end that is a client
/// of its cluster.
/// </summary>
public sealed class SplitAppFixture : AppHostFixture
{
    private IHost? _silo;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_silo is not null)
        {
            await _silo.StopAsync();
            _silo.Dispose();
        }
    }

    protected override async Task<RunningWeb> StartAsync(string serviceId)
    {
        var silo = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        TeamApp.QuietLogging(silo.Configuration);
        silo.UseOrleans(s => s.JoinAppCluster(serviceId).AddOrleansTabs(TestRedis.ConnectionString));
        _silo = silo.Build();
        await _silo.StartAsync();

        var frontEnd = TeamApp.CreateBuilder();
        frontEnd.UseOrleansClient(client => client.JoinAppCluster(serviceId));
        return await TeamApp.StartAsync(frontEnd);
    }
}

[CollectionDefinition(Name)]
public sealed class SplitAppCollection : ICollectionFixture<SplitAppFixture>
{
    public const string Name = "app-split";
}
