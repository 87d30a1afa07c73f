using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary><see cref="IOrleansTabs"/> as an application injects it from the host's DI, seen by real sockets.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class ServerApiTests(AllInOneFixture fixture)
{
    private IOrleansTabs Tabs => fixture.Web.Service<IOrleansTabs>();

    [Fact]
    public async Task APushToAUserReachesEveryTabOnItsTabStreamSerializedWithWebDefaults()
    {
        await using var user = await TwoSessionsAsync();
        {
            var receipt = await Tabs.PushAsync(TabsTarget.User(user.User), new Notice("Hello", 1));
            Assert.Equal(new PushReceipt(2, 0), receipt);
            foreach (var tab in new[] { user.Chat, user.Dashboard })
            {
                var message = await tab.ExpectAsync("message");
                Assert.Equal("tab", message.GetProperty("stream").GetString());
                Assert.Equal("Hello", message.GetProperty("payload").GetProperty("title").GetString());
            }
        }
    }

    [Fact]
    public async Task AFocusedPushGoesToTheFocusedTabAndAOncePushWithoutTabsIsQueued()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        Assert.Equal(new PushReceipt(0, 1), await Tabs.PushAsync(TabsTarget.Session(session.Handle), new Notice("kept", 1), PushDelivery.Once));

        var (quiet, _) = await session.OpenAsync("chat");
        var (focused, _) = await session.OpenAsync("chat");
        await using (quiet)
        await using (focused)
        {
            Assert.Equal(1, Number(await quiet.ExpectAsync("message")));
            await focused.SendAsync(new { type = "state", visibility = "visible", focused = true });
            await focused.SendAsync(new { type = "ping" });
            await focused.ExpectAsync("pong");

            Assert.Equal(new PushReceipt(1, 0), await Tabs.PushAsync(TabsTarget.Session(session.Handle), new Notice("focused", 2), PushDelivery.Focused));
            Assert.Equal(2, Number(await focused.ExpectAsync("message")));

            // Every tab's stream is ordered: the quiet tab's next message is this one, not the focused push.
            Assert.Equal(new PushReceipt(1, 0), await Tabs.PushAsync(TabsTarget.Tab(session.Handle, quiet.Tab), new Notice("tab", 3)));
            Assert.Equal(3, Number(await quiet.ExpectAsync("message")));
        }
    }

    [Fact]
    public async Task APushToAnUnknownTargetIsNotFound()
    {
        Assert.False((await Tabs.PushAsync(TabsTarget.User("nobody-" + Guid.NewGuid().ToString("N")), new Notice("x", 0))).Found);
        Assert.False((await Tabs.PushAsync(TabsTarget.Session("s-unknown"), new Notice("x", 0), PushDelivery.Once)).Found);
        Assert.False((await Tabs.PushAsync(TabsTarget.Room(ChatStreams.NewRoom()), new Notice("x", 0))).Found);
    }

    [Fact]
    public async Task APublishIsDurableFromTheServerAndARepeatOfItsKeyPostsNothing()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            var head = (await tab.JoinAsync(room)).Offset();
            var key = Guid.NewGuid().ToString("N");
            var offset = await Tabs.PublishAsync(room, new Notice("deploy", 7), key);
            Assert.Equal(head + 1, offset);
            Assert.Equal(offset, await Tabs.PublishAsync(room, new Notice("deploy", 7), key));

            var message = Assert.Single(await tab.MessagesAsync("room:" + room, 1));
            Assert.Equal(offset, message.Offset());
            Assert.True(message.GetProperty("from").GetProperty("server").GetBoolean());
            Assert.Equal(7, message.GetProperty("payload").GetProperty("n").GetInt32());
            Assert.False(message.TryGetProperty("text", out _));

            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
            Assert.False(tab.TryTake(out var extra), $"the repeat was posted again: {extra}");
            Assert.Equal(offset + 1, await Tabs.PublishAsync(room, new Notice("next", 8)));
        }
    }

    [Fact]
    public async Task APublishToARoomNobodyUsedStartsItsStream()
    {
        var room = ChatStreams.NewRoom();
        Assert.Equal(1, await Tabs.PublishAsync(room, new Notice("first", 1)));
        var history = await Tabs.HistoryAsync(room);
        var message = Assert.Single(history);
        Assert.True(message.FromServer);
        Assert.Equal(1, message.Payload!.Value.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task HistoryListsChatAndServerMessagesOldestFirstBeforeAnOffset()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.JoinAsync(room);
            await tab.SendChatAsync(room, "c1", "one");
            await Tabs.PublishAsync(room, new Notice("two", 2));
            await tab.SendChatAsync(room, "c3", "three");

            var all = await Tabs.HistoryAsync(room);
            Assert.Equal([1L, 2, 3], all.Select(m => m.Offset));
            Assert.Equal("one", all[0].Text);
            Assert.Equal(session.User, all[0].FromUser);
            Assert.Equal(tab.Tab, all[0].FromTab);
            Assert.Equal("c1", all[0].ClientId);
            Assert.True(all[1].FromServer);

            var page = await Tabs.HistoryAsync(room, before: 3, limit: 1);
            Assert.Equal(2, Assert.Single(page).Offset);
            Assert.Equal(3, (await Tabs.HistoryAsync(room, limit: 1000)).Count);
        }
    }

    [Fact]
    public async Task SetTopicReachesDashboardsAsASnapshot()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("dashboard");
        await using (tab)
        {
            var topic = "api-" + Guid.NewGuid().ToString("N")[..6];
            await Tabs.SetTopicAsync(topic, new { Open = 3 });
            Assert.Equal(3, (await tab.SnapshotAsync(topic)).GetProperty("data").GetProperty("open").GetInt32());
        }
    }

    [Fact]
    public async Task SignOutOfAUserClosesEveryTabOfEverySessionWith4501()
    {
        await using var user = await TwoSessionsAsync();
        await Tabs.SignOutAsync(TabsTarget.User(user.User));
        Assert.Equal(4501, (await user.Chat.ExpectCloseAsync()).Code);
        Assert.Equal(4501, (await user.Dashboard.ExpectCloseAsync()).Code);
        Assert.Null(await user.First.MeAsync());
        Assert.Null(await user.Second.MeAsync());
    }

    [Fact]
    public async Task SignOutOfASessionEndsThatSessionOnly()
    {
        var user = "out-" + Guid.NewGuid().ToString("N")[..8];
        using var ended = await TestSession.SignInAsync(fixture.Server, user);
        using var kept = await TestSession.SignInAsync(fixture.Server, user);
        var (tab, _) = await ended.OpenAsync("chat");
        await using (tab)
        {
            await Tabs.SignOutAsync(TabsTarget.Session(ended.Handle));
            Assert.Equal(4501, (await tab.ExpectCloseAsync()).Code);
            Assert.Null(await ended.MeAsync());
            Assert.NotNull(await kept.MeAsync());
        }
    }

    [Fact]
    public async Task PresenceListsEachPresentUserWithItsTabsAndTheirState()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (first, _) = await session.OpenAsync("chat");
        var (second, _) = await session.OpenAsync("chat");
        await using (first)
        await using (second)
        {
            await first.JoinAsync(room);
            await second.JoinAsync(room);
            await second.SendAsync(new { type = "state", visibility = "hidden", focused = false });
            await second.SendAsync(new { type = "ping" });
            await second.ExpectAsync("pong");

            var user = Assert.Single(await Tabs.PresenceAsync(room));
            Assert.Equal(session.User, user.User);
            Assert.Equal(session.User, user.Name);
            Assert.Equal(new[] { first.Tab, second.Tab }.Order(StringComparer.Ordinal), user.Tabs.Select(t => t.Tab).Order(StringComparer.Ordinal));
            Assert.Equal(TabVisibility.Hidden, Assert.Single(user.Tabs, t => t.Tab == second.Tab).Visibility);
            Assert.Equal(TabVisibility.Visible, Assert.Single(user.Tabs, t => t.Tab == first.Tab).Visibility);

            await first.CloseAsync();
            await Deadline.UntilAsync(async () => (await Tabs.PresenceAsync(room)).Single().Tabs.Count == 1, "the closed tab left presence");
        }
    }

    [Fact]
    public async Task BadArgumentsThrowNamingTheParameterAndSendNothing()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.JoinAsync(room);
            var target = TabsTarget.Session(session.Handle);
            Assert.Equal("room", Assert.Throws<ArgumentException>(() => TabsTarget.Room("has space")).ParamName);
            Assert.Equal("room", (await Assert.ThrowsAsync<ArgumentException>(() => Tabs.PublishAsync("a/b", new Notice("x", 0)))).ParamName);
            Assert.Equal("room", (await Assert.ThrowsAsync<ArgumentException>(() => Tabs.JoinAsync(target, new string('r', 65)))).ParamName);
            Assert.Equal("payload", (await Assert.ThrowsAsync<ArgumentException>(() => Tabs.PushAsync(target, new string('x', 70_000)))).ParamName);
            Assert.Equal("payload", (await Assert.ThrowsAsync<ArgumentException>(() => Tabs.PublishAsync(room, new string('x', 70_000)))).ParamName);
            Assert.Equal("payload", (await Assert.ThrowsAsync<ArgumentNullException>(() => Tabs.PushAsync<Notice?>(target, null))).ParamName);
            Assert.Equal("target", (await Assert.ThrowsAsync<ArgumentNullException>(() => Tabs.PushAsync(null!, new Notice("x", 0)))).ParamName);
            Assert.Equal("delivery", (await Assert.ThrowsAsync<ArgumentException>(() => Tabs.PushAsync(TabsTarget.Room(room), new Notice("x", 0), PushDelivery.Once))).ParamName);
            Assert.Equal("target", (await Assert.ThrowsAsync<ArgumentException>(() => Tabs.JoinAsync(TabsTarget.Room(room), room))).ParamName);
            Assert.Equal("target", (await Assert.ThrowsAsync<ArgumentException>(() => Tabs.SignOutAsync(TabsTarget.Tab(session.Handle, tab.Tab)))).ParamName);
            Assert.Equal("limit", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Tabs.HistoryAsync(room, limit: 0))).ParamName);

            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
            Assert.False(tab.TryTake(out var sent), $"a refused call sent a frame: {sent}");
            Assert.Empty(await Tabs.HistoryAsync(room));
            Assert.NotNull(await session.MeAsync());
        }
    }

    /// <summary>A user signed in twice: a chat tab in the first session, a dashboard tab in the second.</summary>
    private async Task<TwoSessions> TwoSessionsAsync()
    {
        var user = "api-" + Guid.NewGuid().ToString("N")[..8];
        var first = await TestSession.SignInAsync(fixture.Server, user);
        var second = await TestSession.SignInAsync(fixture.Server, user);
        var (chat, _) = await first.OpenAsync("chat");
        var (dashboard, _) = await second.OpenAsync("dashboard");
        return new TwoSessions(user, first, second, chat, dashboard);
    }

    private static int Number(JsonElement message) => message.GetProperty("payload").GetProperty("n").GetInt32();

    private sealed record TwoSessions(string User, TestSession First, TestSession Second, TabClient Chat, TabClient Dashboard) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Chat.DisposeAsync();
            await Dashboard.DisposeAsync();
            First.Dispose();
            Second.Dispose();
        }
    }

    /// <summary>An application's payload: its properties go out camel-cased (web defaults).</summary>
    private sealed record Notice(string Title, int N);
}
