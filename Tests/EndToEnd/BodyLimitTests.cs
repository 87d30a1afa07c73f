using System.Net;
using System.Text;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>A request body over its limit is refused with 413, whether or not it declares a Content-Length.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class BodyLimitTests(AllInOneFixture fixture)
{
    [Theory]
    [InlineData("/auth/login", true)]
    [InlineData("/auth/login", false)]
    [InlineData("/api/push", true)]
    [InlineData("/api/push", false)]
    public async Task ABodyOverItsLimitIsA413Problem(string path, bool chunked)
    {
        var body = path == "/auth/login"
            ? "{\"user\":\"" + new string('a', 8 * 1024) + "\"}"
            : "{\"target\":{\"room\":\"lobby\"},\"payload\":{\"pad\":\"" + new string('x', 200 * 1024) + "\"}}";

        var response = await PostAsync(path, body, chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AChunkedBodyUnderTheLimitIsServed()
    {
        var room = "chunked-" + Guid.NewGuid().ToString("N")[..8];
        var push = await PostAsync("/api/push", "{\"target\":{\"room\":\"" + room + "\"},\"payload\":{\"n\":1}}", chunked: true);
        var login = await PostAsync("/auth/login", "{\"user\":\"chunky\"}", chunked: true);

        // The push reached its handler, which knows no such room.
        Assert.Equal(HttpStatusCode.NotFound, push.StatusCode);
        Assert.Contains("Unknown target", await push.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body, bool chunked)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Push-Key", TestHosts.PushKey);
        request.Headers.TransferEncodingChunked = chunked;
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
