using OrleansTabs.Sessions;
using OrleansTabs.Tabs;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Grains;

/// <summary>Membership decided by the server (docs/protocol.md section 7.3) as the session and tab grains keep it.</summary>
[Collection(GrainCollection.Name)]
public sealed class ServerRoomsGrainTests(GrainClusterFixture fixture)
{
    private static string NewId() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task ASessionWithoutServerRoomsAttachesItsTabsWithNoneAndAServerRoomOnlyOnChat()
    {
        var session = fixture.Client.GetGrain<ISessionGrain>("s" + NewId());
        await session.StartAsync("ivy");
        var binding = new TabBinding("fe", NewId(), NewId(), UnwrittenEpoch: null, RecordedMayBeLive: false);
        var chat = new TabAddress(session.GetPrimaryKeyString(), NewId(), "chat");
        Assert.True((await session.AttachTabAsync(chat, binding)).ServerRooms.IsDefault);

        Assert.True(await session.JoinRoomAsync("lobby"));
        Assert.Equal(["lobby"], (await session.AttachTabAsync(chat, binding)).ServerRooms.ToArray());
        var dashboard = chat with { Channel = "dashboard" };
        Assert.True((await session.AttachTabAsync(dashboard, binding with { ConnectionId = NewId() })).ServerRooms.IsDefault);

        Assert.True(await session.LeaveRoomAsync("lobby"));
        Assert.True((await session.AttachTabAsync(chat, binding with { ConnectionId = NewId() })).ServerRooms.IsDefault);
    }

    [Fact]
    public async Task AConnectedTabIsJoinedAndLeftByTheServerThroughItsFrontEndAndMayNotLeaveMeanwhile()
    {
        var frontEnd = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        var session = fixture.Client.GetGrain<ISessionGrain>("s" + NewId());
        await session.StartAsync("jo");
        var address = new TabAddress(session.GetPrimaryKeyString(), NewId(), "chat");
        var tab = fixture.Client.GetGrain<ITabGrain>(address.ToGrainKey());
        var connection = NewId();
        await tab.ConnectAsync(frontEnd.Connect(NewId(), connection));
        var room = "r" + NewId()[..8];

        await session.JoinRoomAsync(room);
        await Deadline.UntilAsync(() => frontEnd.Memberships.Count > 0, "the front-end was told of the join");
        var joined = Assert.Single(frontEnd.Memberships);
        Assert.Equal((connection, room, true), (joined.ConnectionId, joined.Room, joined.Joined));
        Assert.Equal(ErrorCodes.Forbidden, (await tab.LeaveAsync(connection, room)).Verdict.Error);
        Assert.Equal(FrameVerdict.Ok, (await tab.WhoAsync(connection, room, null)).Verdict);

        // A second join of the same room changes nothing and tells nobody: the leave is the next thing the front-end hears.
        await session.JoinRoomAsync(room);
        await session.LeaveRoomAsync(room);
        await Deadline.UntilAsync(() => frontEnd.Memberships.Count > 1, "the front-end was told of the leave");
        Assert.Equal([true, false], frontEnd.Memberships.Select(m => m.Joined));
        Assert.Equal(ErrorCodes.NotMember, (await tab.WhoAsync(connection, room, null)).Verdict.Error);
    }

    [Fact]
    public async Task AnEndedSessionIsJoinedToNoRoom()
    {
        var session = fixture.Client.GetGrain<ISessionGrain>("s" + NewId());
        await session.StartAsync("kim");
        await session.LogoutAsync();
        Assert.False(await session.JoinRoomAsync("lobby"));
        Assert.False(await session.LeaveRoomAsync("lobby"));
    }
}
