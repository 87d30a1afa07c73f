using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>What a front-end outside Development does when nothing is configured beyond a bearer scheme.</summary>
[Collection(ProductionCollection.Name)]
public sealed class ProductionDefaultsTests(ProductionFixture fixture)
{
    [Fact]
    public async Task ANameLoginWithoutAnIdentityIsNotFoundOutsideDevelopment()
    {
        Assert.False(fixture.Web.Service<IHostEnvironment>().IsDevelopment());
        using var http = new HttpClient { BaseAddress = fixture.Server };

        var response = await http.PostAsJsonAsync("/auth/login", new { user = "alice" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task ABodilessLoginWithoutAnIdentityIsUnauthorized()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };

        var response = await http.PostAsync("/auth/login", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ABearerTokenSignsInWithTheDevelopmentSignInOff()
    {
        using var session = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.ForUser("prod-user"));

        Assert.Equal("sub-prod-user", (await session.MeAsync())!.Value.GetProperty("user").GetString());
    }
}
