using System.Net;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary><c>POST /auth/logout</c> cannot be triggered by another site's page.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class LogoutOriginTests(AllInOneFixture fixture)
{
    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task ACrossSiteLogoutIsA403ProblemAndTheSessionLivesOn(string header, string value)
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        request.Headers.Add(header, value);

        var response = await session.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(await session.MeAsync());
    }

    [Fact]
    public async Task ALogoutFromTheServersOwnOriginEndsTheSession()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        request.Headers.Add("Origin", fixture.Server.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        var response = await session.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await session.MeAsync());
    }
}
