using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using OrleansTabs.Tests.Infrastructure;
using OrleansTabs.Web.Hosting;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Sign-in from the host's identity: JWT bearer configured as <c>Authentication:Schemes:Bearer</c>.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class HostIdentityTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task ABearerTokenSignsInAndItsCookieWorksForMeAndSockets()
    {
        var name = "jwt-" + Guid.NewGuid().ToString("N")[..8];
        using var session = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.ForUser(name));

        Assert.Equal("sub-" + name, session.User);
        var me = (await session.MeAsync())!.Value;
        Assert.Equal("sub-" + name, me.GetProperty("user").GetString());
        Assert.Equal(session.Handle, me.GetProperty("session").GetString());
        var (tab, welcome) = await session.OpenAsync("chat");
        await using (tab)
        {
            Assert.Equal("sub-" + name, welcome.GetProperty("user").GetString());
            Assert.Equal(name, welcome.GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task ABearerSignInAnswersLikeTheDevelopmentSignIn()
    {
        var response = await LoginAsync(TestTokens.ForUser("jwt-body"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("sub-jwt-body", body.GetProperty("user").GetString());
        Assert.Equal("jwt-body", body.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("session").GetString()));
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheUserIsTheSubjectNeverTheDisplayName()
    {
        var sub = "sub-" + Guid.NewGuid().ToString("N")[..8];
        using var bySub = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.Mint(new Dictionary<string, object> { ["sub"] = sub }));
        using var byName = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.Mint(new Dictionary<string, object> { ["sub"] = sub, ["name"] = "the-name" }));

        Assert.Equal(sub, bySub.User);
        Assert.Equal(sub, byName.User);
        Assert.Equal(sub, (await byName.MeAsync())!.Value.GetProperty("user").GetString());
    }

    [Fact]
    public async Task TwoPeopleWithOneNameAreTwoUsers()
    {
        var name = "alice-" + Guid.NewGuid().ToString("N")[..6];
        var (first, second) = ("sub-a-" + name, "sub-b-" + name);
        using var alice = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.Mint(new Dictionary<string, object> { ["sub"] = first, ["name"] = name }));
        using var otherAlice = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.Mint(new Dictionary<string, object> { ["sub"] = second, ["name"] = name }));
        Assert.NotEqual(alice.User, otherAlice.User);

        var (aliceTab, _) = await alice.OpenAsync("chat");
        var (otherTab, otherWelcome) = await otherAlice.OpenAsync("chat");
        await using (aliceTab)
        await using (otherTab)
        {
            Assert.Equal(second, otherWelcome.GetProperty("user").GetString());
            Assert.Equal(name, otherWelcome.GetProperty("name").GetString());

            // A push to one of them reaches only that one.
            using var push = TestHosts.PushClient(fixture.Server);
            var pushed = await push.PostAsJsonAsync("/api/push", new { target = new { user = first }, payload = new { only = "first" } });
            Assert.Equal(HttpStatusCode.Accepted, pushed.StatusCode);
            Assert.Equal(1, (await pushed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delivered").GetInt32());
            var frame = await aliceTab.ExpectAsync("message");
            Assert.Equal("first", frame.GetProperty("payload").GetProperty("only").GetString());

            // Signing out everywhere as one of them leaves the other signed in.
            using var logout = await alice.Http.PostAsync("/auth/logout?scope=user", null);
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
            Assert.Equal(4501, (await aliceTab.ExpectCloseAsync()).Code);
            Assert.NotNull(await otherAlice.MeAsync());
            await otherTab.SendAsync(new { type = "ping" });
            await otherTab.ExpectAsync("pong");
        }
    }

    [Fact]
    public async Task TheDisplayNameTravelsAsNameInMessagesAndPresence()
    {
        var name = "Zoë " + Guid.NewGuid().ToString("N")[..6];
        var sub = "sub-zoe-" + Guid.NewGuid().ToString("N")[..6];
        var room = "names-" + Guid.NewGuid().ToString("N")[..8];
        using var session = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.Mint(new Dictionary<string, object> { ["sub"] = sub, ["name"] = name }));
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.SendAsync(new { type = "join", room });
            await tab.ExpectAsync("joined");
            await tab.SendAsync(new { type = "send", id = "m1", room, text = "hello" });
            var message = await tab.ExpectAsync("message");
            Assert.Equal(sub, message.GetProperty("from").GetProperty("user").GetString());
            Assert.Equal(name, message.GetProperty("from").GetProperty("name").GetString());

            await tab.SendAsync(new { type = "who", room });
            var presence = await tab.ExpectAsync("presence");
            var entry = Assert.Single(presence.GetProperty("state").GetProperty(sub).EnumerateArray());
            Assert.Equal(name, entry.GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task APrincipalWithoutASubjectIsRefused()
    {
        var response = await LoginAsync(TestTokens.Mint(new Dictionary<string, object> { ["name"] = "nobody" }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("bad signature")]
    [InlineData("wrong audience")]
    [InlineData("expired")]
    public async Task ARefusedTokenIsA401ProblemAndSetsNoCookie(string fault)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "mallory" };
        var token = fault switch
        {
            "bad signature" => TestTokens.Mint(claims, key: RandomNumberGenerator.GetBytes(32)),
            "wrong audience" => TestTokens.Mint(claims, audience: "someone-else"),
            _ => TestTokens.Mint(claims, expiresIn: TimeSpan.FromMinutes(-10)),
        };

        var response = await LoginAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task AnUnsignedTokenIsRefused()
    {
        var response = await LoginAsync(TestTokens.WithoutSignature(new Dictionary<string, object> { ["sub"] = "mallory" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public void TheAcceptedAlgorithmsArePinnedToTheKindOfKeyConfigured()
    {
        var symmetric = new TokenValidationParameters { IssuerSigningKeys = [new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32))] };
        var authority = new TokenValidationParameters();
        var configured = new TokenValidationParameters { ValidAlgorithms = [SecurityAlgorithms.RsaSha256] };

        JwtAlgorithms.Pin(symmetric);
        JwtAlgorithms.Pin(authority);
        JwtAlgorithms.Pin(configured);

        Assert.Equal(JwtAlgorithms.Symmetric, symmetric.ValidAlgorithms);
        Assert.Equal(JwtAlgorithms.Asymmetric, authority.ValidAlgorithms);
        Assert.DoesNotContain(SecurityAlgorithms.HmacSha256, authority.ValidAlgorithms);
        Assert.Equal([SecurityAlgorithms.RsaSha256], configured.ValidAlgorithms);
    }

    [Fact]
    public async Task ARefusedTokenIsNotRescuedByANameInTheBody()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = JsonContent.Create(new { user = "alice" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(new Dictionary<string, object> { ["sub"] = "x" }, audience: "other"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
    }

    private async Task<HttpResponseMessage> LoginAsync(string token)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
