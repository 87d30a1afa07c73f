using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>docs/protocol.md section 2: one identity per (session, tab id, channel); takeover and duplicates.</summary>
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
}
