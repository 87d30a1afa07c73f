using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>A session token stands for the session as its cookie does, for clients without cookies (docs/protocol.md section 7.5).</summary>
[Collection(AllInOneCollection.Name)]
public sealed class SessionTokenTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task ATokenOpensSocketsAndAnswersMeAndLogoutWithoutACookie()
    {
        var (token, session) = await SignInAsync("token-" + TabClient.NewId()[..8]);
        using var http = Cookieless();

        await using var tab = await TabClient.ConnectAsync(fixture.Server, new CookieContainer(), "chat", accessToken: token);
        var welcome = await tab.ExpectAsync("welcome");
        Assert.Equal("chat", welcome.GetProperty("channel").GetString());

        using (var me = await http.SendAsync(WithToken(HttpMethod.Get, "/auth/me", token)))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal(session, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetString());
        }

        // A sign-out by token needs no allowed origin: a token is no ambient credential.
        using var logout = WithToken(HttpMethod.Post, "/auth/logout", token);
        logout.Headers.Add("Origin", "https://elsewhere.example");
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(logout)).StatusCode);
        Assert.Equal(4501, (await tab.ExpectCloseAsync()).Code);

        // The token ended with its session.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(WithToken(HttpMethod.Get, "/auth/me", token))).StatusCode);
        await Assert.ThrowsAnyAsync<WebSocketException>(() => TabClient.ConnectAsync(fixture.Server, new CookieContainer(), "chat", accessToken: token));
    }

    [Fact]
    public async Task ATamperedOrMissingTokenIsNoSession()
    {
        var (token, _) = await SignInAsync("tamper-" + TabClient.NewId()[..8]);
        var tampered = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var http = Cookieless();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(WithToken(HttpMethod.Get, "/auth/me", tampered))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/auth/me")).StatusCode);
        await Assert.ThrowsAnyAsync<WebSocketException>(() => TabClient.ConnectAsync(fixture.Server, new CookieContainer(), "chat", accessToken: tampered));
    }

    [Fact]
    public async Task TheSessionSchemeAuthenticatesATokenOnTheHostsOwnEndpoints()
    {
        var (token, _) = await SignInAsync("scheme-" + TabClient.NewId()[..8]);
        using var http = Cookieless();

        // The dashboard needs an administrator's session: a token of a session that is no administrator's is a session
        // all the same (403), where no credentials at all are none (401).
        var dashboard = new Uri(fixture.Web.Management, "/orleans/");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(dashboard)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(WithToken(HttpMethod.Get, dashboard, token))).StatusCode);
    }

    private async Task<(string Token, string Session)> SignInAsync(string user)
    {
        using var http = Cookieless();
        var response = await http.PostAsJsonAsync("/auth/login", new { user });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("token").GetString()!, body.GetProperty("session").GetString()!);
    }

    private HttpClient Cookieless() => new(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.Server };

    private static HttpRequestMessage WithToken(HttpMethod method, string path, string token) => WithToken(method, new Uri(path, UriKind.Relative), token);

    private static HttpRequestMessage WithToken(HttpMethod method, Uri path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Session", token);
        return request;
    }
}
