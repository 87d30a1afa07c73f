using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

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

        Assert.Equal(name, session.User);
        var me = (await session.MeAsync())!.Value;
        Assert.Equal(name, me.GetProperty("user").GetString());
        Assert.Equal(session.Handle, me.GetProperty("session").GetString());
        var (tab, welcome) = await session.OpenAsync("chat");
        await using (tab)
        {
            Assert.Equal(name, welcome.GetProperty("user").GetString());
        }
    }

    [Fact]
    public async Task ABearerSignInAnswersLikeTheDevelopmentSignIn()
    {
        var response = await LoginAsync(TestTokens.ForUser("jwt-body"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("jwt-body", body.GetProperty("user").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("session").GetString()));
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheUserIsTheNameClaimElseTheSub()
    {
        var sub = "sub-" + Guid.NewGuid().ToString("N")[..8];
        using var bySub = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.Mint(new Dictionary<string, object> { ["sub"] = sub }));
        using var byName = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.Mint(new Dictionary<string, object> { ["sub"] = sub, ["name"] = "the-name" }));

        Assert.Equal(sub, bySub.User);
        Assert.Equal("the-name", byName.User);
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
