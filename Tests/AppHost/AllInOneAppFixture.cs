using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.AppHost;

/// <summary>The application in one process: its front-end hosts the silo, which runs OrleansTabs' grains and its own.</summary>
public sealed class AllInOneAppFixture : AppHostFixture
{
    protected override Task<RunningWeb> StartAsync(string serviceId)
    {
        var builder = TeamApp.CreateBuilder();
        builder.UseOrleans(silo => silo.JoinAppCluster(serviceId).AddOrleansTabs(TestRedis.ConnectionString));
        return TeamApp.StartAsync(builder);
    }
}

[CollectionDefinition(Name)]
public sealed class AllInOneAppCollection : ICollectionFixture<AllInOneAppFixture>
{
    public const string Name = "app-all-in-one";
}
