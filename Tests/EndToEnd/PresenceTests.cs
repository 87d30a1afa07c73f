using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Presence per room, docs/protocol.md section 6.2, over real sockets on one front-end.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class PresenceTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task WhoNeedsMembership()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.SendAsync(new { type = "who", room = ChatStreams.NewRoom(), id = "w1" });
            var error = await tab.ExpectAsync("error");
            Assert.Equal("not_member", error.GetProperty("code").GetString());
            Assert.Equal("w1", error.GetProperty("ref").GetString());
        }
    }

    [Fact]
    public async Task WhoListsEveryUserWithEachOfTheirConnectedTabs()
    {
        var room = ChatStreams.NewRoom();
        using var ann = await TestSession.SignInAsync(fixture.Server);
        using var bob = await TestSession.SignInAsync(fixture.Server);
        await using var a1 = await JoinedAsync(ann, room);
        await using var a2 = await JoinedAsync(ann, room);
        await using var b1 = await JoinedAsync(bob, room);
        await b1.SendAsync(new { type = "state", visibility = "hidden", focused = false });
        await b1.SendAsync(new { type = "ping" });
        await b1.ExpectAsync("pong"); // frames of a socket are handled in order: the state is in presence now

        var state = await WhoAsync(a1, room);

        Assert.Equal(new[] { a1.Tab, a2.Tab }.Order(), Tabs(state, ann.User).Select(t => t.GetProperty("tab").GetString()).Order());
        var bobs = Assert.Single(Tabs(state, bob.User));
        Assert.Equal(b1.Tab, bobs.GetProperty("tab").GetString());
        Assert.Equal("hidden", bobs.GetProperty("visibility").GetString());
        Assert.False(bobs.GetProperty("focused").GetBoolean());
        Assert.True(bobs.GetProperty("since").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal("visible", Tabs(state, ann.User)[0].GetProperty("visibility").GetString());
    }

    [Fact]
    public async Task AWatcherGetsDiffsForStateChangesArrivalsAndDepartures()
    {
        var room = ChatStreams.NewRoom();
        using var ann = await TestSession.SignInAsync(fixture.Server);
        using var bob = await TestSession.SignInAsync(fixture.Server);
        await using var watcher = await JoinedAsync(ann, room);
        await using var b1 = await JoinedAsync(bob, room);
        await WhoAsync(watcher, room);

        // A state change: the tab leaves with its old state and joins with its new one; nobody comes or goes.
        await b1.SendAsync(new { type = "state", visibility = "visible", focused = true });
        var changed = await watcher.ExpectAsync("presence");
        Assert.False(Tabs(changed, bob.User, "leaves")[0].GetProperty("focused").GetBoolean());
        Assert.True(Tabs(changed, bob.User, "joins")[0].GetProperty("focused").GetBoolean());
        Assert.Empty(changed.GetProperty("online").EnumerateArray());
        Assert.Empty(changed.GetProperty("offline").EnumerateArray());

        // A new user's first tab comes online.
        using var cyd = await TestSession.SignInAsync(fixture.Server);
        await using var c1 = await JoinedAsync(cyd, room);
        var arrived = await watcher.ExpectAsync("presence");
        Assert.Equal(c1.Tab, Assert.Single(Tabs(arrived, cyd.User, "joins")).GetProperty("tab").GetString());
        Assert.Equal([cyd.User], arrived.GetProperty("online").EnumerateArray().Select(u => u.GetString()));

        // A socket that vanishes leaves presence, and its user goes offline with their last tab.
        b1.Abort();
        var gone = await watcher.ExpectAsync("presence");
        Assert.Equal(b1.Tab, Assert.Single(Tabs(gone, bob.User, "leaves")).GetProperty("tab").GetString());
        Assert.Equal([bob.User], gone.GetProperty("offline").EnumerateArray().Select(u => u.GetString()));

        // `leave` too.
        await c1.SendAsync(new { type = "leave", room });
        var left = await watcher.ExpectAsync("presence");
        Assert.Single(Tabs(left, cyd.User, "leaves"));
        Assert.Equal([cyd.User], left.GetProperty("offline").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task ATabThatNeverAsksWhoGetsNoPresenceFrames()
    {
        var room = ChatStreams.NewRoom();
        using var ann = await TestSession.SignInAsync(fixture.Server);
        using var bob = await TestSession.SignInAsync(fixture.Server);
        await using var quiet = await JoinedAsync(ann, room);
        await using var watcher = await JoinedAsync(ann, room);
        await WhoAsync(watcher, room);
        await using (var b1 = await JoinedAsync(bob, room))
        {
            await watcher.ExpectAsync("presence");
        }

        await watcher.ExpectAsync("presence");

        // Frames are sent in order: a presence frame queued for the quiet tab would come before this pong.
        await quiet.SendAsync(new { type = "ping" });
        var next = await quiet.ExpectAnyAsync(["pong", "presence"]);
        Assert.Equal("pong", next.GetProperty("type").GetString());
    }

    private static async Task<TabClient> JoinedAsync(TestSession session, string room)
    {
        var (tab, _) = await session.OpenAsync("chat");
        await tab.JoinAsync(room);
        return tab;
    }

    private static async Task<JsonElement> WhoAsync(TabClient tab, string room)
    {
        await tab.SendAsync(new { type = "who", room });
        var frame = await tab.ExpectAsync("presence");
        Assert.Equal(room, frame.GetProperty("room").GetString());
        return frame.GetProperty("state");
    }

    private static List<JsonElement> Tabs(JsonElement byUser, string user, string? member = null)
    {
        var map = member is null ? byUser : byUser.GetProperty(member);
        return map.TryGetProperty(user, out var tabs) ? [.. tabs.EnumerateArray()] : [];
    }
}
