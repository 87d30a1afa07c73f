using System.Net;
using System.Net.Http.Headers;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Behind a TLS-terminating proxy the session cookie is Secure; only a known proxy is believed.</summary>
[Collection(ProductionCollection.Name)]
public sealed class ForwardedHeadersTests(ProductionFixture fixture)
{
    [Fact]
    public async Task ALoopbackProxyForwardingHttpsGetsASecureCookie()
    {
        Assert.Contains("secure", await LoginCookieAsync(fixture.Server, forwardedHttps: true), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await LoginCookieAsync(fixture.Server, forwardedHttps: false), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnUnknownProxyIsNotBelieved()
    {
        var serviceId = TestRedis.NewServiceId("proxy");
        await using var web = await TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Hosting:ForwardedHeaders:KnownProxies:0"] = "10.9.9.9",
            ["OrleansTabs:Hosting:ForwardedHeaders:KnownNetworks:0"] = "192.168.77.0/24",
        }));

        Assert.DoesNotContain("secure", await LoginCookieAsync(web.Address, forwardedHttps: true), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ABadProxyAddressStopsTheStartAndNamesTheSetting()
    {
        var serviceId = TestRedis.NewServiceId("proxy");
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Hosting:ForwardedHeaders:KnownProxies:0"] = "not-an-address",
        })));

        Assert.Contains("OrleansTabs:Hosting:ForwardedHeaders:KnownProxies", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<string> LoginCookieAsync(Uri server, bool forwardedHttps)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForUser("proxied"));
        if (forwardedHttps)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        }

        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"));
    }
}
