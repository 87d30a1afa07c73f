using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// Outside Development, <c>/metrics</c> and the Orleans dashboard answer on the management port only, and that port
/// serves nothing of the app: a deployment that publishes the app's port publishes neither.
/// </summary>
[Collection(AllInOneCollection.Name)]
public sealed class ManagementPortTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task MetricsAndTheDashboardAreNotOnTheAppsPort()
    {
        Assert.NotEqual(fixture.Server.Port, fixture.Web.Management.Port);
        using var admin = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.ForUser("operator", "admin"));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/orleans/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync(new Uri(fixture.Web.Management, "/metrics"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync(new Uri(fixture.Web.Management, "/orleans/"))).StatusCode);
    }

    [Fact]
    public async Task AHostHeaderNamingTheManagementPortOpensNothingOnTheAppsPort()
    {
        // The port is the connection's, not the one the client writes in its request.
        var reply = await RawGetAsync(fixture.Server.Port, "/metrics", $"127.0.0.1:{fixture.Web.Management.Port}");
        Assert.StartsWith("HTTP/1.1 404", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheManagementPortServesHealthButNothingOfTheApp()
    {
        using var http = new HttpClient { BaseAddress = fixture.Web.Management };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/auth/login", new StringContent("{\"user\":\"x\"}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/")).StatusCode);
    }

    private static async Task<string> RawGetAsync(int port, string path, string host)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync();
    }
}
