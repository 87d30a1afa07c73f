using System.Net;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// <c>OrleansTabs:Hosting:CorsOrigins</c>: an app on a listed origin may call the session endpoints with the cookie (CORS
/// with credentials); any other origin gets no CORS headers, so its browser keeps the answers from it.
/// </summary>
public sealed class CrossOriginTests
{
    private const string App = "https://app.example.com";

    [Fact]
    public async Task APreflightFromAListedOriginIsAllowedWithCredentialsAndOneFromAnotherOriginIsNot()
    {
        var serviceId = TestRedis.NewServiceId("cors");
        await using var web = await TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Hosting:CorsOrigins:0"] = App + "/",
        }));
        using var http = new HttpClient { BaseAddress = web.Address };

        using var allowed = await http.SendAsync(Preflight("/auth/login", App));
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(App, Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("content-type", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);

        using var other = await http.SendAsync(Preflight("/auth/login", "https://evil.example.net"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Credentials"));

        // The actual request from the listed origin carries the headers too (here a 401: no cookie yet).
        using var me = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        me.Headers.Add("Origin", App);
        using var answer = await http.SendAsync(me);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal(App, Assert.Single(answer.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task WithoutCorsOriginsNoOriginGetsCorsHeaders()
    {
        var serviceId = TestRedis.NewServiceId("nocors");
        await using var web = await TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId));
        using var http = new HttpClient { BaseAddress = web.Address };

        using var answer = await http.SendAsync(Preflight("/auth/login", App));

        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }
}
