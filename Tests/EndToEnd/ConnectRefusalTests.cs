using System.Net;
using System.Net.WebSockets;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Refusals before the upgrade, in the order of docs/protocol.md: 404 route, 400 parameters, 403 origin, 401 session.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class ConnectRefusalTests(AllInOneFixture fixture)
{
    private static readonly string Tab = TabClient.NewId();

    [Theory]
    [InlineData("/ws/other?tab={0}&instance={0}&v=1", HttpStatusCode.NotFound)]
    [InlineData("/ws/chat/extra?tab={0}&instance={0}&v=1", HttpStatusCode.NotFound)]
    [InlineData("/ws/chat?instance={0}&v=1", HttpStatusCode.BadRequest)]
    [InlineData("/ws/chat?tab=short&instance={0}&v=1", HttpStatusCode.BadRequest)]
    [InlineData("/ws/chat?tab=has%20space%20inside&instance={0}&v=1", HttpStatusCode.BadRequest)]
    [InlineData("/ws/chat?tab={0}&v=1", HttpStatusCode.BadRequest)]
    [InlineData("/ws/chat?tab={0}&instance={0}&v=2", HttpStatusCode.BadRequest)]
    [InlineData("/ws/dashboard?tab={0}&instance={0}", HttpStatusCode.BadRequest)]
    public async Task BadRoutesAndParametersAreRefusedBeforeTheUpgrade(string path, HttpStatusCode expected)
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var status = await UpgradeStatusAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Tab), session.Cookies, origin: null);
        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task ACrossOriginUpgradeIs403EvenWithASession()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var status = await UpgradeStatusAsync($"/ws/chat?tab={Tab}&instance={Tab}&v=1", session.Cookies, origin: "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task TheServersOwnOriginIsAllowed()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (client, _) = await TabClientWithOrigin(session, fixture.Server.GetLeftPart(UriPartial.Authority));
        await client.DisposeAsync();
    }

    [Fact]
    public async Task AnUpgradeWithoutASessionIs401()
    {
        var status = await UpgradeStatusAsync($"/ws/chat?tab={Tab}&instance={Tab}&v=1", new CookieContainer(), origin: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task AnUpgradeWithTheCookieOfALoggedOutSessionIs401()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var cookies = new CookieContainer();
        cookies.Add(fixture.Server, session.Cookies.GetCookies(fixture.Server));
        await session.LogoutAsync();

        var status = await UpgradeStatusAsync($"/ws/chat?tab={Tab}&instance={Tab}&v=1", cookies, origin: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task AnUpgradeWithATamperedSessionCookieIs401AndTheSessionStillConnects()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var cookie = session.Cookies.GetCookies(fixture.Server).Single();
        var tampered = new CookieContainer();
        tampered.Add(fixture.Server, new Cookie(cookie.Name, cookie.Value[..^4] + (cookie.Value.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA")));

        var status = await UpgradeStatusAsync($"/ws/chat?tab={Tab}&instance={Tab}&v=1", tampered, origin: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var (client, welcome) = await TabClientWithOrigin(session, origin: null);
        Assert.Equal(session.User, welcome.GetProperty("user").GetString());
        await client.DisposeAsync();
    }

    [Fact]
    public async Task AnUnknownRouteIs404BeforeAMissingSessionIs401()
    {
        var status = await UpgradeStatusAsync("/ws/other", new CookieContainer(), origin: "http://evil.example");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task BadParametersAre400BeforeABadOriginIs403()
    {
        var status = await UpgradeStatusAsync("/ws/chat?tab=x", new CookieContainer(), origin: "http://evil.example");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task ABadOriginIs403BeforeAMissingSessionIs401()
    {
        var status = await UpgradeStatusAsync($"/ws/chat?tab={Tab}&instance={Tab}&v=1", new CookieContainer(), origin: "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    private static async Task<(TabClient, System.Text.Json.JsonElement)> TabClientWithOrigin(TestSession session, string? origin)
    {
        var client = await TabClient.ConnectAsync(session.Server, session.Cookies, "chat", origin: origin);
        return (client, await client.ExpectAsync("welcome"));
    }

    private async Task<HttpStatusCode> UpgradeStatusAsync(string pathAndQuery, CookieContainer cookies, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var uri = new Uri(new Uri(fixture.Server.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), pathAndQuery);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        return socket.HttpStatusCode;
    }
}
