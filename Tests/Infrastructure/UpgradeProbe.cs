using System.Net;
using System.Net.Http.Headers;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>
/// A WebSocket upgrade request sent with <see cref="HttpClient"/>, so a test sees a refusal's status, headers and problem
/// body (a <see cref="System.Net.WebSockets.ClientWebSocket"/> only reports that the upgrade failed).
/// </summary>
public static class UpgradeProbe
{
    /// <summary>Sends <c>GET</c> with the upgrade headers of a WebSocket handshake and the session's cookies.</summary>
    public static async Task<HttpResponseMessage> SendAsync(Uri server, CookieContainer cookies, string pathAndQuery)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server, Timeout = Deadline.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
