using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>PROTOCOL.md section 2: one identity per (session, tab id, channel); takeover and duplicates.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class TabIdentityTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task TwoTabsOfOneSessionGetTheirOwnWelcomeAndStayConnected()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (a, welcomeA) = await session.OpenAsync("chat");
        var (b, welcomeB) = await session.OpenAsync("chat");
        await using (a)
        await using (b)
        {
            Assert.Equal(a.Tab, welcomeA.GetProperty("tab").GetString());
            Assert.Equal(b.Tab, welcomeB.GetProperty("tab").GetString());
            Assert.Equal(a.Instance, welcomeA.GetProperty("instance").GetString());
            Assert.Equal("chat", welcomeA.GetProperty("channel").GetString());
            Assert.Equal(session.User, welcomeA.GetProperty("user").GetString());
            Assert.Equal(1, welcomeA.GetProperty("v").GetInt32());
            Assert.True(welcomeA.GetProperty("heartbeatMs").GetInt32() > 0);
            Assert.True(welcomeA.GetProperty("streams").TryGetProperty("tab", out _));

            // Each tab answers its own pings; neither socket was closed by the other's arrival.
            await a.SendAsync(new { type = "ping" });
            await b.SendAsync(new { type = "ping" });
            await a.ExpectAsync("pong");
            await b.ExpectAsync("pong");
            Assert.False(a.Closed.IsCompleted);
            Assert.False(b.Closed.IsCompleted);
        }
    }

    [Fact]
    public async Task TheSameInstanceReconnectingTakesOverAndTheOldSocketGets4509()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var tab = TabClient.NewId();
        var instance = TabClient.NewId();
        var (old, _) = await session.OpenAsync("chat", tab, instance);
        var (newer, _) = await session.OpenAsync("chat", tab, instance);
        await using (old)
        await using (newer)
        {
            var (code, reason) = await old.ExpectCloseAsync();
            Assert.Equal(4509, code);
            Assert.Contains("superseded", reason, StringComparison.Ordinal);
            await newer.SendAsync(new { type = "ping" });
            await newer.ExpectAsync("pong");
        }
    }

    [Fact]
    public async Task ADuplicatedTabGets4010WithoutWelcomeAndTheOriginalStays()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var tab = TabClient.NewId();
        var (original, _) = await session.OpenAsync("chat", tab);
        var duplicate = await session.ConnectAsync("chat", tab, TabClient.NewId());
        await using (original)
        await using (duplicate)
        {
            var (code, _) = await duplicate.ExpectCloseAsync();
            Assert.Equal(4010, code);
            await Assert.ThrowsAnyAsync<Exception>(() => duplicate.NextAsync(TimeSpan.FromSeconds(1)));

            await original.SendAsync(new { type = "ping" });
            await original.ExpectAsync("pong");
            Assert.False(original.Closed.IsCompleted);
        }
    }

    [Fact]
    public async Task ADifferentInstanceTakesOverAStaleConnection()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var tab = TabClient.NewId();
        var (stale, welcome) = await session.OpenAsync("chat", tab);
        var heartbeat = TimeSpan.FromMilliseconds(welcome.GetProperty("heartbeatMs").GetInt32());
        await using (stale)
        {
            // Silent for longer than one heartbeat: a reload whose old socket was never closed.
            var staleSince = DateTime.UtcNow;
            var (fresh, _) = await RetryUntilAcceptedAsync(session, tab, staleSince + heartbeat);
            await using (fresh)
            {
                await fresh.SendAsync(new { type = "ping" });
                await fresh.ExpectAsync("pong");
                var (code, _) = await stale.ExpectCloseAsync();
                Assert.Contains(code, new[] { 4509, 4008 });
            }
        }
    }

    [Fact]
    public async Task TheSameTabIdUnderAnotherSessionIsAnotherTab()
    {
        using var alice = await TestSession.SignInAsync(fixture.Server);
        using var bob = await TestSession.SignInAsync(fixture.Server);
        var tab = TabClient.NewId();
        var (a, _) = await alice.OpenAsync("chat", tab);
        var (b, _) = await bob.OpenAsync("chat", tab);
        await using (a)
        await using (b)
        {
            await a.SendAsync(new { type = "ping" });
            await a.ExpectAsync("pong");
            Assert.False(a.Closed.IsCompleted);
            Assert.False(b.Closed.IsCompleted);
        }
    }

    [Fact]
    public async Task TheSameTabIdOnAnotherChannelIsAnotherTab()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var tab = TabClient.NewId();
        var (chat, _) = await session.OpenAsync("chat", tab);
        var (dashboard, _) = await session.OpenAsync("dashboard", tab);
        await using (chat)
        await using (dashboard)
        {
            await chat.SendAsync(new { type = "ping" });
            await chat.ExpectAsync("pong");
            Assert.False(chat.Closed.IsCompleted);
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
