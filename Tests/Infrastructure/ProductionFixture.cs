namespace OrleansTabs.Tests.Infrastructure;

/// <summary>
/// An all-in-one front-end configured as in production: not Development, the development sign-in left unset (so off),
/// sign-in by bearer token only, Data Protection keys encrypted with a certificate.
/// </summary>
public sealed class ProductionFixture : IAsyncLifetime
{
    public RunningWeb Web { get; private set; } = null!;

    public Uri Server => Web.Address;

    public string ServiceId { get; } = TestRedis.NewServiceId("prod");

    private string _certificatePath = "";

    public async Task InitializeAsync()
    {
        _certificatePath = await TestCertificates.WritePfxAsync("pfx-password");
        var settings = TestHosts.Settings(ServiceId, ServiceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:DataProtection:CertificatePath"] = _certificatePath,
            ["OrleansTabs:DataProtection:CertificatePassword"] = "pfx-password",
        });
        settings.Remove("OrleansTabs:Auth:DevelopmentLogin");
        Web = await TestHosts.StartWebAsync("AllInOne", settings);
    }

    public async Task DisposeAsync()
    {
        await Web.DisposeAsync();
        File.Delete(_certificatePath);
    }
}

[CollectionDefinition(Name)]
public sealed class ProductionCollection : ICollectionFixture<ProductionFixture>
{
    public const string Name = "production";
}
