using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using OrleansTabs.Grains.Hosting;
using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Rooms;
using OrleansTabs.Grains.Storage;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// An in-process TestingHost cluster with the production grains on Redis storage (embedded Garnet or
/// <c>ORLEANSTABS_TEST_REDIS</c>), a fake clock shared by every silo, and a room log that counts its writes.
/// </summary>
public class GrainClusterFixture : IAsyncLifetime
{
    private readonly short _silos;

    public GrainClusterFixture()
        : this(1)
    {
    }

    protected GrainClusterFixture(short silos) => _silos = silos;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>When the silos' writes count as durable: open unless a test holds it.</summary>
    public GatedDurability Durability { get; } = new();

    public static Dictionary<string, string?> Settings { get; } = new()
    {
        ["OrleansTabs:Sessions:SlidingExpiration"] = "00:30:00",
        ["OrleansTabs:Sessions:AbsoluteLifetime"] = "12:00:00",
        ["OrleansTabs:Sessions:ExpiryCheckInterval"] = "00:00:00.200",
        ["OrleansTabs:Rooms:MaxMessages"] = "5",
    };

    public async Task InitializeAsync()
    {
        var serviceId = TestRedis.NewServiceId("grains");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var builder = new InProcessTestClusterBuilder(_silos);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddSingleton<IStoreDurability>(Durability);
            silo.AddOrleansTabsGrains(configuration, TestRedis.ConnectionString);
            silo.Services.AddSingleton<RedisRoomLog>();
            silo.Services.Replace(ServiceDescriptor.Singleton<IRoomLog>(sp => new CountingRoomLog(sp.GetRequiredService<RedisRoomLog>())));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>
    /// Lets time pass as a running cluster sees it: in one-second steps, each one seen by the front-end directory (a
    /// single jump of the clock is what a paused silo sees, and the directory extends its leases by it).
    /// </summary>
    public async Task PassTimeAsync(TimeSpan span)
    {
        var directory = Client.GetFrontEndDirectory();
        for (var passed = TimeSpan.Zero; passed < span; passed += TimeSpan.FromSeconds(1))
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await directory.GetLiveAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GrainCollection : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grains";
}
