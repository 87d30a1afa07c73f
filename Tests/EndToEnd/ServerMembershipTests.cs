using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Membership decided by the server (docs/protocol.md section 7.3) through <see cref="IOrleansTabs"/>, over real sockets.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class ServerMembershipTests(AllInOneFixture fixture)
{
    private IOrleansTabs Tabs => fixture.Web.Service<IOrleansTabs>();

    [Fact]
    public async Task AConnectedTabGetsJoinedByTheServerAndTheRoomsLiveMessages()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        await Tabs.PublishAsync(room, new { n = 1 });
        var (tab, _) = await session.OpenAsync("chat");
        var (dashboard, _) = await session.OpenAsync("dashboard");
        await using (tab)
        await using (dashboard)
        {
            await Tabs.JoinAsync(TabsTarget.Session(session.Handle), room);
            var joined = await tab.ExpectAsync("joined");
            Assert.Equal("server", joined.GetProperty("by").GetString());
            Assert.Equal(room, joined.GetProperty("room").GetString());
            Assert.Equal("room:" + room, joined.GetProperty("stream").GetString());
            Assert.Equal(1, joined.Offset());
            Assert.False(string.IsNullOrEmpty(joined.GetProperty("epoch").GetString()));

            await Tabs.PublishAsync(room, new { n = 2 });
            Assert.Equal(2, Assert.Single(await tab.MessagesAsync("room:" + room, 1)).Offset());

            // A member may send without a join of its own; the dashboard tab is no member.
            await tab.SendChatAsync(room, "c1", "hello");
            await dashboard.SendAsync(new { type = "ping" });
            await dashboard.ExpectAsync("pong");
            Assert.False(dashboard.TryTake(out var frame), $"the dashboard tab got a room's frame: {frame}");
        }
    }

    [Fact]
    public async Task ATabConnectingLaterIsAMemberFromItsWelcomeAndGetsLiveMessagesWithoutJoin()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        await Tabs.JoinAsync(TabsTarget.Session(session.Handle), room);
        var (tab, welcome) = await session.OpenAsync("chat");
        await using (tab)
        {
            Assert.Equal(0, welcome.GetProperty("streams").GetProperty("room:" + room).GetProperty("offset").GetInt64());
            var offset = await Tabs.PublishAsync(room, new { n = 1 });
            var message = Assert.Single(await tab.MessagesAsync("room:" + room, 1));
            Assert.Equal(offset, message.Offset());
            Assert.Contains(await Tabs.PresenceAsync(room), u => u.User == session.User);
        }
    }

    [Fact]
    public async Task AUserTargetJoinsEveryLiveSessionOfTheUser()
    {
        var user = "member-" + Guid.NewGuid().ToString("N")[..8];
        using var first = await TestSession.SignInAsync(fixture.Server, user);
        using var second = await TestSession.SignInAsync(fixture.Server, user);
        var room = ChatStreams.NewRoom();
        var (a, _) = await first.OpenAsync("chat");
        await using (a)
        {
            await Tabs.JoinAsync(TabsTarget.User(user), room);
            Assert.Equal("server", (await a.ExpectAsync("joined")).GetProperty("by").GetString());
            var (b, welcome) = await second.OpenAsync("chat");
            await using (b)
            {
                Assert.True(welcome.GetProperty("streams").TryGetProperty("room:" + room, out _));
            }
        }
    }

    [Fact]
    public async Task ATabsOwnLeaveOfAServerJoinedRoomIsForbiddenUntilTheServerLeavesIt()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.JoinAsync(room);
            await Tabs.JoinAsync(TabsTarget.Session(session.Handle), room);
            await tab.ExpectAsync("joined");

            await tab.SendAsync(new { type = "leave", room, id = "l1" });
            var error = await tab.ExpectAsync("error");
            Assert.Equal("forbidden", error.GetProperty("code").GetString());
            Assert.Equal("l1", error.GetProperty("ref").GetString());

            // Still a member: the room's messages keep coming.
            var offset = await Tabs.PublishAsync(room, new { n = 1 });
            Assert.Equal(offset, Assert.Single(await tab.MessagesAsync("room:" + room, 1)).Offset());

            await Tabs.LeaveAsync(TabsTarget.Session(session.Handle), room);
            var left = await tab.ExpectAsync("left");
            Assert.Equal("server", left.GetProperty("by").GetString());
            Assert.Equal(offset, left.Offset());

            await tab.SendAsync(new { type = "send", id = "after", room, text = "still here?" });
            Assert.Equal("not_member", (await tab.ExpectAsync("error")).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task AServerLeaveIsKeptForTabsThatConnectLater()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var tabId = TabClient.NewId();
        var (tab, _) = await session.OpenAsync("chat", tabId);
        await Tabs.JoinAsync(TabsTarget.Session(session.Handle), room);
        await tab.ExpectAsync("joined");
        await tab.CloseAsync();
        await tab.DisposeAsync();

        await Tabs.LeaveAsync(TabsTarget.Session(session.Handle), room);
        var (back, welcome) = await session.OpenAsync("chat", tabId);
        await using (back)
        {
            Assert.False(welcome.GetProperty("streams").TryGetProperty("room:" + room, out _), welcome.GetRawText());
            await back.SendAsync(new { type = "leave", room, id = "l2" });
            var left = await back.ExpectAnyAsync(["left", "error"]);
            Assert.Equal("left", left.GetProperty("type").GetString());
            Assert.False(left.TryGetProperty("by", out _));
        }
    }

    [Fact]
    public async Task ServerMembershipSurvivesTheSessionGrainsReactivation()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        await Tabs.JoinAsync(TabsTarget.Session(session.Handle), room);
        var grain = fixture.Web.Service<IGrainFactory>().GetGrain<OrleansTabs.Sessions.ISessionGrain>(session.Handle);
        await grain.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();

        var (tab, welcome) = await session.OpenAsync("chat");
        await using (tab)
        {
            Assert.True(welcome.GetProperty("streams").TryGetProperty("room:" + room, out JsonElement head), welcome.GetRawText());
            Assert.Equal(0, head.GetProperty("offset").GetInt64());
        }
    }
}
