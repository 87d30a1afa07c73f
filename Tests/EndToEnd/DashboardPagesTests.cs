using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansTabs.ServiceDefaults;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>The Orleans dashboard's pages are built on their first visit and stay behind the host's policy after.</summary>
public sealed class DashboardPagesTests
{
    [Fact]
    public async Task TheDashboardIsBuiltOnItsFirstVisitAndStillRefusesAnonymousRequestsAfter()
    {
        var serviceId = TestRedis.NewServiceId("dashboard");
        await using var web = await TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId), environment: "Development");
        var pages = web.Service<EndpointDataSource>().Endpoints.Select(e => e.Metadata.GetMetadata<DashboardPages>()).OfType<DashboardPages>().Single();
        using var anonymous = new HttpClient { BaseAddress = web.Address };

        Assert.False(pages.IsBuilt);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/orleans/index.min.js")).StatusCode);
        Assert.False(pages.IsBuilt);

        using var session = await TestSession.SignInAsync(web.Address, "dashboard-viewer");
        var script = await session.Http.GetAsync("/orleans/index.min.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        Assert.True(pages.IsBuilt);

        // The prefix alone is redirected to the page (the client follows), and a path the dashboard lacks is not found.
        var page = await session.Http.GetAsync("/orleans");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/orleans/", page.RequestMessage?.RequestUri?.AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, (await session.Http.GetAsync("/orleans/no-such-page")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/orleans/index.min.js")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/orleans/DashboardCounters")).StatusCode);
    }

    [Fact]
    public void PagesRefuseAHostWithoutTheDashboardsServices()
    {
        using var services = new ServiceCollection().BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => _ = new DashboardPages(services, "/orleans"));
        Assert.Contains("AddDashboard", error.Message, StringComparison.Ordinal);
    }
}
