using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// What a session and a user may hold (3 tabs per session, 2 sessions per user here): the limit refuses clearly, before
/// the upgrade or by ending the oldest session with 4501, and never drops a tab or a session silently.
/// </summary>
[Collection(LimitsCollection.Name)]
public sealed class SessionLimitTests(LimitsFixture fixture)
{
    [Fact]
    public async Task ANewTabBeyondTheSessionsCapIsRefusedWith429BeforeTheUpgrade()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        await using var tabs = await ChatTabs.OpenAsync(session, 3);

        var refused = await UpgradeProbe.SendAsync(fixture.Server, session.Cookies, $"/ws/chat?tab={TabClient.NewId()}&instance={TabClient.NewId()}&v=1");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("tabs_per_session", problem.GetProperty("limit").GetString());

        // The tabs that hold a place are unharmed: a ping of each is answered, and only they are listed.
        foreach (var tab in tabs.Clients)
        {
            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
        }

        Assert.Equal(3, (await session.MeAsync())!.Value.GetProperty("tabs").GetArrayLength());
    }

    [Fact]
    public async Task AReconnectAndATabsOtherChannelAreNotNewTabs()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        await using var tabs = await ChatTabs.OpenAsync(session, 3);
        var a = tabs.Clients[0];

        // The same tab on the dashboard channel counts once with its chat socket.
        var (board, _) = await session.OpenAsync("dashboard", a.Tab);
        await board.DisposeAsync();

        // A lost socket keeps its tab's place (it may resume); its reconnect takes that place back.
        a.Abort();
        var (again, _) = await session.OpenAsync("chat", a.Tab, a.Instance);
        await again.DisposeAsync();
    }

    [Fact]
    public async Task ATabThatClosedCleanlyFreesItsPlace()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        await using var tabs = await ChatTabs.OpenAsync(session, 3);

        var closed = tabs.Clients[0].Tab;
        await tabs.Clients[0].DisposeAsync();

        // Still listed for the audit (docs/protocol.md 6.5), but no longer counted.
        System.Text.Json.JsonElement entry = default;
        await Deadline.UntilAsync(
            async () => (entry = (await session.MeAsync())!.Value.GetProperty("tabs").EnumerateArray()
                .Single(t => t.GetProperty("tab").GetString() == closed)).TryGetProperty("lastClose", out _),
            "the closed tab shows how it closed");
        Assert.False(entry.GetProperty("connected").GetBoolean());
        Assert.Equal(1000, entry.GetProperty("lastClose").GetProperty("code").GetInt32());
        Assert.Equal("client", entry.GetProperty("lastClose").GetProperty("reason").GetString());

        var (d, _) = await session.OpenAsync("chat");
        await d.DisposeAsync();
    }

    [Fact]
    public async Task ALoopOfConnectAndCleanCloseDoesNotGrowTheSession()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        for (var i = 0; i < 12; i++)
        {
            var (tab, _) = await session.OpenAsync("chat");
            await tab.CloseAsync();
            await tab.DisposeAsync();

            // The release reaches the session one-way: the next connect comes after it, as a page's next socket would.
            await Deadline.UntilAsync(
                async () => (await session.MeAsync())!.Value.GetProperty("tabs").EnumerateArray()
                    .Any(t => t.GetProperty("tab").GetString() == tab.Tab && t.TryGetProperty("lastClose", out _)),
                "the closed tab is recorded as closed");
        }

        // The session lists no more released tabs than its cap (3 here), and a new tab connects.
        Assert.True((await session.MeAsync())!.Value.GetProperty("tabs").GetArrayLength() <= 3);
        var (next, _) = await session.OpenAsync("chat");
        await next.DisposeAsync();
        Assert.True((await session.MeAsync())!.Value.GetProperty("tabs").GetArrayLength() <= 3);
    }

    [Fact]
    public async Task ASignInBeyondTheUsersSessionCapEndsTheOldestSessionWith4501()
    {
        var user = "capped-" + Guid.NewGuid().ToString("N")[..8];
        using var oldest = await TestSession.SignInAsync(fixture.Server, user);
        using var second = await TestSession.SignInAsync(fixture.Server, user);
        var (tab, _) = await oldest.OpenAsync("chat");
        await using (tab)
        {
            using var newest = await TestSession.SignInAsync(fixture.Server, user);

            var (code, reason) = await tab.ExpectCloseAsync();
            Assert.Equal(4501, code);
            Assert.Contains("session_ended", reason, StringComparison.Ordinal);
            Assert.Null(await oldest.MeAsync());
            Assert.NotNull(await second.MeAsync());
            Assert.NotNull(await newest.MeAsync());
        }
    }

    [Fact]
    public async Task SessionsThatEndedDoNotCountAgainstTheUser()
    {
        var user = "ended-" + Guid.NewGuid().ToString("N")[..8];
        using var first = await TestSession.SignInAsync(fixture.Server, user);
        using var second = await TestSession.SignInAsync(fixture.Server, user);
        await first.LogoutAsync();

        using var third = await TestSession.SignInAsync(fixture.Server, user);

        Assert.NotNull(await second.MeAsync());
        Assert.NotNull(await third.MeAsync());
    }

    /// <summary>Chat tabs of one session, each a distinct tab id, closed together.</summary>
    private sealed class ChatTabs(List<TabClient> clients) : IAsyncDisposable
    {
        public IReadOnlyList<TabClient> Clients => clients;

        public static async Task<ChatTabs> OpenAsync(TestSession session, int count)
        {
            var clients = new List<TabClient>();
            for (var i = 0; i < count; i++)
            {
                clients.Add((await session.OpenAsync("chat")).Client);
            }

            return new ChatTabs(clients);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
