namespace OrleansTabs.Tests.Infrastructure;

/// <summary>
/// An all-in-one front-end with the production defaults: not Development, the development sign-in left unset (so off),
/// sign-in by bearer token only.
/// </summary>
public sealed class ProductionFixture : IAsyncLifetime
{
    public RunningWeb Web { get; private set; } = null!;

    public Uri Server => Web.Address;

    public async Task InitializeAsync()
    {
        var serviceId = TestRedis.NewServiceId("prod");
        var settings = TestHosts.Settings(serviceId, serviceId);
        settings.Remove("OrleansTabs:Auth:DevelopmentLogin");
        Web = await TestHosts.StartWebAsync("AllInOne", settings);
    }

    public async Task DisposeAsync() => await Web.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ProductionCollection : ICollectionFixture<ProductionFixture>
{
    public const string Name = "production";
}
