using OrleansTabs.Sessions;
using OrleansTabs.Tabs;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Grains;

[Collection(GrainCollection.Name)]
public sealed class SessionGrainTests(GrainClusterFixture fixture)
{
    private static string NewSession() => "s" + Guid.NewGuid().ToString("N");

    private static string NewId() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task AttachAndDetachAreReflectedInTheSessionView()
    {
        var session = NewSession();
        var frontEnd = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("ann");
        var address = new TabAddress(session, NewId(), "chat");
        var tab = fixture.Client.GetGrain<ITabGrain>(address.ToGrainKey());
        var connection = NewId();

        Assert.Equal(ConnectOutcome.Accepted, (await tab.ConnectAsync(frontEnd.Connect(NewId(), connection))).Outcome);
        var attached = Assert.Single((await fixture.Client.GetGrain<ISessionGrain>(session).DescribeAsync())!.Tabs);
        Assert.True(attached.Connected);
        Assert.Equal(frontEnd.Id, attached.FrontEnd);

        await tab.DisconnectAsync(connection, clean: false);
        var detached = Assert.Single((await fixture.Client.GetGrain<ISessionGrain>(session).DescribeAsync())!.Tabs);
        Assert.False(detached.Connected);

        await tab.ConnectAsync(frontEnd.Connect(NewId(), NewId()));
        await tab.DisconnectAsync(connection, clean: true);
        Assert.True(Assert.Single((await fixture.Client.GetGrain<ISessionGrain>(session).DescribeAsync())!.Tabs).Connected);
    }

    [Fact]
    public async Task LogoutClosesEveryTabOnEveryFrontEndThroughTheObserver()
    {
        var session = NewSession();
        var one = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        var two = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("bo");
        var c1 = NewId();
        var c2 = NewId();
        await Tab(session, "chat").ConnectAsync(one.Connect(NewId(), c1));
        await Tab(session, "dashboard").ConnectAsync(two.Connect(NewId(), c2));

        await fixture.Client.GetGrain<ISessionGrain>(session).LogoutAsync();

        Assert.Equal(4501, (await one.WaitForCloseAsync(c1)).Code);
        Assert.Equal(4501, (await two.WaitForCloseAsync(c2)).Code);
        Assert.Null(await fixture.Client.GetGrain<ISessionGrain>(session).ValidateAsync());
    }

    [Fact]
    public async Task SlidingExpiryOnTheClockClosesEveryTab()
    {
        var session = NewSession();
        var frontEnd = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("cy");
        var connection = NewId();
        await Tab(session, "chat").ConnectAsync(frontEnd.Connect(NewId(), connection));

        // Other sessions share the clock; they are created and checked relative to it, so moving it only ages them too.
        fixture.Clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(4501, (await frontEnd.WaitForCloseAsync(connection)).Code);
        Assert.Null(await fixture.Client.GetGrain<ISessionGrain>(session).ValidateAsync());
    }

    [Fact]
    public async Task AnExpiredSessionWithoutTabsIsEndedOnItsNextUse()
    {
        var session = NewSession();
        var grain = fixture.Client.GetGrain<ISessionGrain>(session);
        await grain.StartAsync("dee");
        Assert.NotNull(await grain.ValidateAsync());

        fixture.Clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Null(await grain.ValidateAsync());
        Assert.Equal(AttachOutcome.SessionEnded, await grain.AttachTabAsync(new TabAddress(session, NewId(), "chat"), "fe"));
    }

    [Fact]
    public async Task TheAbsoluteLifetimeEndsEvenAnActiveSession()
    {
        var session = NewSession();
        var grain = fixture.Client.GetGrain<ISessionGrain>(session);
        await grain.StartAsync("eve");
        for (var step = 0; step < 35; step++)
        {
            // Active every 20 minutes: the sliding expiry (30 minutes) never passes.
            fixture.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.NotNull(await grain.ValidateAsync());
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(25));
        Assert.Null(await grain.ValidateAsync());
    }

    [Fact]
    public async Task ATabOfARevokedSessionIsFencedEvenIfItsClosePushWasLost()
    {
        var session = NewSession();
        var partitioned = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("fay");
        var tab = Tab(session, "chat");
        var connection = NewId();
        var instance = NewId();
        await tab.ConnectAsync(partitioned.Connect(instance, connection));

        await fixture.Client.GetGrain<ISessionGrain>(session).LogoutAsync();

        // Whatever happened to the push, the next frame of that socket is refused, and so is a resume or reconnect.
        Assert.Equal(FrameVerdict.SessionEnded, await tab.TouchAsync(connection));
        Assert.Equal(ConnectOutcome.SessionEnded, (await tab.ConnectAsync(partitioned.Connect(instance, NewId()))).Outcome);
    }

    [Fact]
    public async Task ATabWhoseGrainWasLostIsFencedWith4501NotSuperseded()
    {
        var session = NewSession();
        var frontEnd = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("gus");
        var tab = Tab(session, "chat");
        var connection = NewId();
        await tab.ConnectAsync(frontEnd.Connect(NewId(), connection));

        // The tab grain is lost (its silo died) before the session ends, so nobody can tell it.
        await fixture.Cluster.DeactivateAsync(tab);
        await fixture.Client.GetGrain<ISessionGrain>(session).LogoutAsync();

        await fixture.Cluster.DeactivateAsync(tab);
        Assert.Equal(FrameVerdict.SessionEnded, await tab.TouchAsync(connection));
    }

    [Fact]
    public async Task TabsOfAFrontEndWhoseLeaseLapsedAreMarkedDisconnected()
    {
        var session = NewSession();
        var crashed = await RecordingFrontEnd.RegisterAsync(fixture.Client, lease: TimeSpan.FromSeconds(8));
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("hal");
        var tab = Tab(session, "chat");
        await tab.ConnectAsync(crashed.Connect(NewId(), NewId()));
        Assert.True(Assert.Single((await fixture.Client.GetGrain<ISessionGrain>(session).GetTabsAsync())!).Connected);

        // The front-end stops renewing (it crashed): once its lease lapses, its tabs are disconnected, not "connected" forever.
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));

        await Deadline.UntilAsync(
            async () => !Assert.Single((await fixture.Client.GetGrain<ISessionGrain>(session).GetTabsAsync())!).Connected,
            "the lapsed front-end's tab is disconnected");
    }

    [Fact]
    public async Task ASocketThatOutlivedItsFrontEndsLeaseIsTakenBackAndCatchesUpOnItsRooms()
    {
        var session = NewSession();
        var stalled = await RecordingFrontEnd.RegisterAsync(fixture.Client, lease: TimeSpan.FromSeconds(8));
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("ida");
        var tab = Tab(session, "chat");
        var connection = NewId();
        var room = "r" + NewId();
        await tab.ConnectAsync(stalled.Connect(NewId(), connection));
        Assert.Equal(ChatOutcome.Ok, (await tab.JoinAsync(connection, room)).Outcome);

        // The front-end stalls past its lease: the tab is detached, and a message is posted meanwhile.
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        await Deadline.UntilAsync(
            async () => !Assert.Single((await fixture.Client.GetGrain<ISessionGrain>(session).GetTabsAsync())!).Connected,
            "the lapsed front-end's tab is disconnected");
        var missed = await fixture.Client.GetGrain<OrleansTabs.Rooms.IRoomGrain>(room).PublishAsync("{\"n\":1}");

        // It goes on: the socket's next frame takes the tab back instead of being told it was superseded.
        await stalled.RenewAsync(fixture.Client, TimeSpan.FromHours(1));
        Assert.Equal(FrameVerdict.Ok, await tab.TouchAsync(connection));
        Assert.True(Assert.Single((await fixture.Client.GetGrain<ISessionGrain>(session).GetTabsAsync())!).Connected);

        // The socket is nudged with the room's newest message (so it repairs any gap), and live delivery goes on.
        await Deadline.UntilAsync(() => stalled.Deliveries.Any(d => d.Message.Offset == 1 && d.Connections.Contains(connection)), "the missed message reaches the socket");
        await fixture.Client.GetGrain<OrleansTabs.Rooms.IRoomGrain>(room).PublishAsync("{\"n\":2}");
        await Deadline.UntilAsync(() => stalled.Deliveries.Any(d => d.Message.Offset == 2 && d.Connections.Contains(connection)), "live messages reach the socket again");
        Assert.NotNull(missed);
    }

    [Fact]
    public async Task AFrameOfASocketTheTabNoLongerKnowsGetsARetryableVerdict()
    {
        var session = NewSession();
        var frontEnd = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("jo");
        var tab = Tab(session, "chat");
        var connection = NewId();
        await tab.ConnectAsync(frontEnd.Connect(NewId(), connection));
        await tab.DisconnectAsync(connection, clean: false);

        Assert.Equal(FrameVerdict.Detached, await tab.TouchAsync(connection));
    }

    private ITabGrain Tab(string session, string channel) =>
        fixture.Client.GetGrain<ITabGrain>(new TabAddress(session, NewId(), channel).ToGrainKey());
}
