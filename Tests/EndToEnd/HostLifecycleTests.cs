using Microsoft.Extensions.Options;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Start-up validation and graceful shutdown, each on a host of its own.</summary>
public sealed class HostLifecycleTests
{
    [Theory]
    [InlineData("OrleansTabs:Sockets:MaxFrameBytes", "12", "OrleansTabs:Sockets:MaxFrameBytes")]
    [InlineData("OrleansTabs:Sockets:AllowedOrigins:0", "not an origin", "OrleansTabs:Sockets:AllowedOrigins:0")]
    [InlineData("OrleansTabs:Sessions:SlidingExpiration", "-00:01:00", "OrleansTabs:Sessions:SlidingExpiration")]
    [InlineData("OrleansTabs:Rooms:MaxMessages", "0", "OrleansTabs:Rooms:MaxMessages")]
    [InlineData("OrleansTabs:FrontEnd:LeaseTime", "00:00:01", "OrleansTabs:FrontEnd:LeaseTime")]
    [InlineData("OrleansTabs:FrontEnd:DrainWindow", "-00:00:01", "OrleansTabs:FrontEnd:DrainWindow")]
    [InlineData("OrleansTabs:Sessions:MaxTabsPerSession", "0", "OrleansTabs:Sessions:MaxTabsPerSession")]
    [InlineData("OrleansTabs:Sessions:MaxSessionsPerUser", "0", "OrleansTabs:Sessions:MaxSessionsPerUser")]
    [InlineData("OrleansTabs:Auth:LoginsPerMinute", "0", "OrleansTabs:Auth:LoginsPerMinute")]
    [InlineData("OrleansTabs:Push:ApiKey", "two words", "OrleansTabs:Push:ApiKey")]
    [InlineData("OrleansTabs:Admin:ClaimValue", "ops", "OrleansTabs:Admin:ClaimValue")]
    [InlineData("OrleansTabs:DataProtection:CertificatePassword", "secret", "OrleansTabs:DataProtection:CertificatePassword")]
    [InlineData("OrleansTabs:Rooms:DedupWindow", "00:01:00", "OrleansTabs:Rooms:DedupWindow")]
    [InlineData("Orleans:AdvertisedIp", "silo-1.internal", "Orleans:AdvertisedIp")]
    [InlineData("Orleans:ServiceId", " ", "Orleans:ServiceId")]
    [InlineData("OrleansTabs:Hosting:GarnetPort", "70000", "OrleansTabs:Hosting:GarnetPort")]
    [InlineData("OrleansTabs:Hosting:CorsOrigins:0", "app.example.com", "OrleansTabs:Hosting:CorsOrigins:0")]
    public async Task ABadSettingStopsStartUpWithAMessageNamingIt(string key, string value, string named)
    {
        var serviceId = TestRedis.NewServiceId("bad");
        var settings = TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHosts.StartWebAsync("AllInOne", settings));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoppingFrontEndClosesItsSocketsWith1001AndTheTabStaysAttachedForResume()
    {
        var serviceId = TestRedis.NewServiceId("drain");
        var settings = TestHosts.Settings(serviceId, serviceId);
        var web = await TestHosts.StartWebAsync("AllInOne", settings);
        using var session = await TestSession.SignInAsync(web.Address);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            var stopping = web.DisposeAsync().AsTask();
            var (code, reason) = await tab.ExpectCloseAsync();
            Assert.Equal(1001, code);
            Assert.Contains("going_away", reason, StringComparison.Ordinal);
            await stopping;
        }
    }
}
