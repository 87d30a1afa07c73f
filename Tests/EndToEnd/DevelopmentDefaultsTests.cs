using System.Net;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>The Development environment's defaults: name sign-in on, the Orleans dashboard open to any session.</summary>
public sealed class DevelopmentDefaultsTests
{
    [Fact]
    public async Task InDevelopmentTheNameSignInIsOnAndTheDashboardOpenToSignedInUsers()
    {
        var serviceId = TestRedis.NewServiceId("dev");
        var settings = TestHosts.Settings(serviceId, serviceId);
        settings.Remove("OrleansTabs:Auth:DevelopmentLogin");
        await using var web = await TestHosts.StartWebAsync("AllInOne", settings, environment: "Development");

        using var session = await TestSession.SignInAsync(web.Address, "dev-alice");

        Assert.Equal("dev-alice", (await session.MeAsync())!.Value.GetProperty("user").GetString());
        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/orleans/")).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = web.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/orleans/")).StatusCode);
    }
}
