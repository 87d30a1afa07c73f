using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Heartbeat and staleness (docs/protocol.md sections 2 and 5), on a front-end with a one-second heartbeat.</summary>
[Collection(ShortHeartbeatCollection.Name)]
public sealed class HeartbeatTests(ShortHeartbeatFixture fixture)
{
    [Fact]
    public async Task ASilentSocketIsClosedWith4008()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, welcome) = await session.OpenAsync("chat");
        await using (tab)
        {
            var heartbeat = TimeSpan.FromMilliseconds(welcome.GetProperty("heartbeatMs").GetInt32());
            var (code, _) = await tab.ExpectCloseAsync(heartbeat * 2 + Deadline.Default);
            Assert.Equal(4008, code);
        }
    }

    [Fact]
    public async Task PingsKeepASocketOpenPastTheHeartbeatTimeout()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, welcome) = await session.OpenAsync("chat");
        await using (tab)
        {
            var heartbeat = TimeSpan.FromMilliseconds(welcome.GetProperty("heartbeatMs").GetInt32());
            var until = DateTime.UtcNow + heartbeat * 4;
            while (DateTime.UtcNow < until)
            {
                await tab.SendAsync(new { type = "ping" });
                await tab.ExpectAsync("pong");
                await Task.WhenAny(tab.Closed, Task.Delay(heartbeat / 2));
            }

            Assert.False(tab.Closed.IsCompleted, "a pinging socket was closed");
        }
    }

    [Fact]
    public async Task ADifferentInstanceTakesOverAStaleConnection()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var tab = TabClient.NewId();

        // The connect itself counts as the connection's last frame, and the tab grain registers it before the upgrade
        // completes: the earliest the connection can go stale is one heartbeat after the connect began.
        var connectStarted = DateTime.UtcNow;
        var (stale, welcome) = await session.OpenAsync("chat", tab);
        var heartbeat = TimeSpan.FromMilliseconds(welcome.GetProperty("heartbeatMs").GetInt32());
        await using (stale)
        {
            // Silent for longer than one heartbeat: a reload whose old socket was never closed.
            var (fresh, _) = await RetryUntilAcceptedAsync(session, tab, connectStarted + heartbeat);
            await using (fresh)
            {
                await fresh.SendAsync(new { type = "ping" });
                await fresh.ExpectAsync("pong");
                var (code, _) = await stale.ExpectCloseAsync();
                Assert.Contains(code, new[] { 4509, 4008 });
            }
        }
    }

    private static async Task<(TabClient, System.Text.Json.JsonElement)> RetryUntilAcceptedAsync(TestSession session, string tab, DateTime notBefore)
    {
        // Until the old connection is one heartbeat old, a different instance is a duplicate (4010); afterwards it takes over.
        using var timeout = new CancellationTokenSource(Deadline.Default);
        while (true)
        {
            var client = await session.ConnectAsync("chat", tab, TabClient.NewId());
            var first = await Task.WhenAny(client.Closed, client.ExpectAsync("welcome"));
            if (first is Task<System.Text.Json.JsonElement> welcome && welcome.IsCompletedSuccessfully)
            {
                Assert.True(DateTime.UtcNow >= notBefore, "a live connection was taken over before it went stale");
                return (client, welcome.Result);
            }

            Assert.Equal(4010, (await client.Closed).Code);
            await client.DisposeAsync();
            timeout.Token.ThrowIfCancellationRequested();
            await Task.Delay(200, timeout.Token);
        }
    }
}
