namespace OrleansTabs.Tests.Infrastructure;

/// <summary>One all-in-one front-end (co-hosted silo) shared by a test collection; tests isolate themselves by session.</summary>
public sealed class AllInOneFixture : IAsyncLifetime
{
    public RunningWeb Web { get; private set; } = null!;

    public Uri Server => Web.Address;

    /// <summary>Settings a test class may override before start; short heartbeat so silence is detected quickly.</summary>
    public static Dictionary<string, string?> Overrides { get; } = new()
    {
        ["OrleansTabs:Sockets:Heartbeat"] = "00:00:01",
        ["OrleansTabs:Sockets:ErrorLimit"] = "10",
        ["OrleansTabs:Sockets:ResumeWindow"] = "00:00:00.200",
    };

    public async Task InitializeAsync()
    {
        var serviceId = TestRedis.NewServiceId("aio");
        Web = await TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, Overrides));
    }

    public async Task DisposeAsync() => await Web.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AllInOneCollection : ICollectionFixture<AllInOneFixture>
{
    public const string Name = "all-in-one";
}
