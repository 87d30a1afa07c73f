using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansTabs.AspNetCore.Auth;
using OrleansTabs.Web.Auth;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

[Collection(AllInOneCollection.Name)]
public sealed class SessionEndpointTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task LoginReturnsUserHandleAndExpiryAndSetsAnHttpOnlyLaxCookie()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };
        var response = await http.PostAsJsonAsync("/auth/login", new { user = "alice" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("alice", body.GetProperty("user").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("session").GetString()));
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(body.GetProperty("session").GetString()!, cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNameSignInWorksOutsideDevelopmentWhenSwitchedOn()
    {
        Assert.False(fixture.Web.Service<IHostEnvironment>().IsDevelopment());
        Assert.True(fixture.Web.Service<IOptions<AuthOptions>>().Value.DevelopmentLogin);
        using var http = new HttpClient { BaseAddress = fixture.Server };

        var response = await http.PostAsJsonAsync("/auth/login", new { user = "bob" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bob", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user").GetString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"user\":\"\"}")]
    [InlineData("{\"user\":42}")]
    [InlineData("not json")]
    public async Task LoginWithAnInvalidUserIsA400Problem(string body)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };
        var response = await http.PostAsync("/auth/login", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task MeWithoutACookieIs401()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };
        var response = await http.GetAsync("/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task MeListsTheConnectedTabsWithTheirFrontEnd()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (chat, _) = await session.OpenAsync("chat");
        var (dashboard, _) = await session.OpenAsync("dashboard");
        await using (chat)
        await using (dashboard)
        {
            var me = (await session.MeAsync())!.Value;
            Assert.Equal(session.User, me.GetProperty("user").GetString());
            Assert.Equal(session.Handle, me.GetProperty("session").GetString());
            var tabs = me.GetProperty("tabs").EnumerateArray().ToList();
            Assert.Equal(2, tabs.Count);
            Assert.Contains(tabs, t => t.GetProperty("tab").GetString() == chat.Tab && t.GetProperty("channel").GetString() == "chat");
            Assert.Contains(tabs, t => t.GetProperty("tab").GetString() == dashboard.Tab && t.GetProperty("channel").GetString() == "dashboard");
            Assert.All(tabs, t => Assert.True(t.GetProperty("connected").GetBoolean()));
            Assert.All(tabs, t => Assert.False(string.IsNullOrEmpty(t.GetProperty("frontEnd").GetString())));
        }
    }

    [Fact]
    public async Task ATabThatClosesCleanlyIsListedDisconnectedWithItsClose()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (chat, _) = await session.OpenAsync("chat");
        await chat.CloseAsync();
        await chat.ExpectCloseAsync();

        JsonElement tab = default;
        await Deadline.UntilAsync(
            async () => !(tab = (await session.MeAsync())!.Value.GetProperty("tabs").EnumerateArray().Single()).GetProperty("connected").GetBoolean(),
            "the closed tab is listed as disconnected");
        Assert.Equal(1000, tab.GetProperty("lastClose").GetProperty("code").GetInt32());
        Assert.Equal("client", tab.GetProperty("lastClose").GetProperty("reason").GetString());
        await chat.DisposeAsync();
    }

    [Fact]
    public async Task LogoutRevokesTheSessionEvenForAReplayedCookie()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var stolen = session.Cookies.GetCookieHeader(fixture.Server);

        await session.LogoutAsync();

        using var http = new HttpClient { BaseAddress = fixture.Server };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        request.Headers.Add("Cookie", stolen);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task HealthEndpointsAnswer()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopmentTheOrleansDashboardIsServedToAdministratorsOnly()
    {
        var dashboard = new Uri(fixture.Web.Management, "/orleans/");
        using var anonymous = new HttpClient { BaseAddress = fixture.Server };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(dashboard)).StatusCode);

        using var user = await TestSession.SignInAsync(fixture.Server);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Http.GetAsync(dashboard)).StatusCode);
        using var member = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.ForUser("member", "reader"));
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync(dashboard)).StatusCode);

        using var admin = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.ForUser("operator", "admin"));
        var page = await admin.Http.GetAsync(dashboard);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("html", page.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);

        // The cookie of an ended session opens nothing, even replayed.
        var replayed = admin.Cookies.GetCookieHeader(fixture.Server);
        await admin.LogoutAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, dashboard);
        request.Headers.Add("Cookie", replayed);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.SendAsync(request)).StatusCode);
    }
}
