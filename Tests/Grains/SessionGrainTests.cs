using Microsoft.Extensions.DependencyInjection;
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
    public async Task AnEndedSessionLeavesNoRecordInRedis()
    {
        var session = NewSession();
        var grain = fixture.Client.GetGrain<ISessionGrain>(session);
        await grain.StartAsync("gone");
        var redis = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<OrleansTabs.Grains.Hosting.RedisConnection>().Multiplexer;
        Assert.Single(redis.GetServers()[0].Keys(pattern: $"*{session}*"));

        await grain.LogoutAsync();

        Assert.Empty(redis.GetServers()[0].Keys(pattern: $"*{session}*"));
        Assert.Null(await grain.ValidateAsync());
    }

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

        await tab.DisconnectAsync(connection, clean: false, TabClose.Lost(DateTimeOffset.UtcNow));
        var detached = Assert.Single((await fixture.Client.GetGrain<ISessionGrain>(session).DescribeAsync())!.Tabs);
        Assert.False(detached.Connected);

        await tab.ConnectAsync(frontEnd.Connect(NewId(), NewId()));
        await tab.DisconnectAsync(connection, clean: true, TabClose.Lost(DateTimeOffset.UtcNow));
        Assert.True(Assert.Single((await fixture.Client.GetGrain<ISessionGrain>(session).DescribeAsync())!.Tabs).Connected);
    }

    [Fact]
    public async Task ASendRefusedForTheBudgetIsTakenWhenItComesBackAfterItsRetryTimeEvenATickEarly()
    {
        var session = fixture.Client.GetGrain<ISessionGrain>(NewSession());
        await session.StartAsync("dee");
        for (var spent = 0; spent < 100 && (await session.LeaseSendsAsync(10)).Granted > 0; spent++)
        {
        }

        var refused = await session.LeaseSendsAsync(1);
        Assert.Equal(0, refused.Granted);
        Assert.InRange(refused.RetryAfterMs, 2, 1_000);

        // The client's timer fired a millisecond before the time it was given: the send is taken, and the next is not.
        fixture.Clock.Advance(TimeSpan.FromMilliseconds(refused.RetryAfterMs - 1));
        Assert.Equal(1, (await session.LeaseSendsAsync(1)).Granted);
        Assert.Equal(0, (await session.LeaseSendsAsync(1)).Granted);
    }

    [Fact]
    public async Task ASessionsExpiryReminderIsInTheSilosReminderTableWhileTheSessionLivesAndLeavesItAtLogout()
    {
        var session = NewSession();
        var grain = fixture.Client.GetGrain<ISessionGrain>(session);
        var table = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        await grain.StartAsync("cy");

        var row = await table.ReadRow(grain.GetGrainId(), "expiry");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromMinutes(30), row.Period);
        Assert.Contains((await table.ReadRows(0, 0)).Reminders, r => r.GrainId == grain.GetGrainId());

        await grain.LogoutAsync();
        await Deadline.UntilAsync(async () => await table.ReadRow(grain.GetGrainId(), "expiry") is null, "the reminder is unregistered");
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
    public async Task LogoutClosesTheSocketsOfEachFrontEndInOneCommandListAndEachSocketOnce()
    {
        var session = NewSession();
        var one = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        var two = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("cy");
        var onOne = Enumerable.Range(0, 5).Select(_ => NewId()).ToArray();
        var onTwo = Enumerable.Range(0, 3).Select(_ => NewId()).ToArray();
        await Task.WhenAll([
            .. onOne.Select(c => Tab(session, "chat").ConnectAsync(one.Connect(NewId(), c))),
            .. onTwo.Select(c => Tab(session, "chat").ConnectAsync(two.Connect(NewId(), c)))]);

        await fixture.Client.GetGrain<ISessionGrain>(session).LogoutAsync();

        foreach (var (frontEnd, connections) in new[] { (one, onOne), (two, onTwo) })
        {
            foreach (var connection in connections)
            {
                Assert.Equal(4501, (await frontEnd.WaitForCloseAsync(connection)).Code);
            }

            // The session's one list per front-end; no tab closed its socket a second time.
            Assert.Equal([connections.Length], frontEnd.CloseBatches);
            Assert.Equal(connections.Order(), frontEnd.Closes.Select(c => c.ConnectionId).Order());
        }
    }

    [Fact]
    public async Task TheTabsOfASessionOnTwoFrontEndsShareOneSendBudget()
    {
        var session = NewSession();
        var one = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        var two = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("di");
        var room = "budget-" + NewId()[..8];
        var tabs = new List<(ITabGrain Tab, string Connection)>();
        foreach (var frontEnd in new[] { one, two })
        {
            var (tab, connection) = (Tab(session, "chat"), NewId());
            await tab.ConnectAsync(frontEnd.Connect(NewId(), connection));
            await tab.JoinAsync(connection, room);
            tabs.Add((tab, connection));
        }

        // The fake clock stands still: the budget is the burst (40 at the defaults) and nothing refills.
        var results = await Task.WhenAll(tabs.SelectMany(t => Enumerable.Range(0, 30).Select(i => t.Tab.SendAsync(t.Connection, room, $"{t.Connection}-{i}", "hi"))));

        var posted = results.Count(r => r.Verdict.IsOk);
        Assert.InRange(posted, 39, 40); // a tab may keep one send of its last lease unused
        Assert.All(results.Where(r => !r.Verdict.IsOk), r =>
        {
            Assert.Equal(ErrorCodes.RateLimited, r.Verdict.Error);
            Assert.Null(r.Post);
            Assert.Equal(50, r.Verdict.RetryAfterMs); // one send at 20 per second
        });

        // A second later there is room for 20 more, whichever tab asks.
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var later = await Task.WhenAll(Enumerable.Range(0, 25).Select(i => tabs[1].Tab.SendAsync(tabs[1].Connection, room, $"later-{i}", "hi")));
        Assert.InRange(later.Count(r => r.Verdict.IsOk), 20, 21);
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
        Assert.Equal(AttachOutcome.SessionEnded, (await grain.AttachTabAsync(new TabAddress(session, NewId(), "chat"), new TabBinding("fe", "c1", NewId(), null, false))).Outcome);
    }

    [Fact]
    public async Task ASocketReclaimingItsTabNeverTakesItFromAnotherConnection()
    {
        var session = NewSession();
        var grain = fixture.Client.GetGrain<ISessionGrain>(session);
        await grain.StartAsync("rex");
        var tab = new TabAddress(session, NewId(), "chat");
        var instance = NewId();
        await grain.AttachTabAsync(tab, new TabBinding("fe-1", "current", instance, null, RecordedMayBeLive: false));

        // The socket cut off with its front-end asks for the tab back after another socket of the same page took it.
        var reclaim = await grain.AttachTabAsync(tab, new TabBinding("fe-2", "lapsed", instance, null, RecordedMayBeLive: false, Reclaim: true));

        Assert.Equal(AttachOutcome.Duplicate, reclaim.Outcome);
        Assert.Equal(new TabConnection("fe-1", "current"), (await grain.RecallTabAsync(tab)).Connection);
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
        await fixture.PassTimeAsync(TimeSpan.FromSeconds(10));

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
        Assert.Equal(FrameVerdict.Ok, (await tab.JoinAsync(connection, room)).Verdict);

        // The front-end stalls past its lease: the tab is detached, and a message is posted meanwhile.
        await fixture.PassTimeAsync(TimeSpan.FromSeconds(10));
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
        await tab.DisconnectAsync(connection, clean: false, TabClose.Lost(DateTimeOffset.UtcNow));

        Assert.Equal(FrameVerdict.Detached, await tab.TouchAsync(connection));
    }

    private ITabGrain Tab(string session, string channel) =>
        fixture.Client.GetGrain<ITabGrain>(new TabAddress(session, NewId(), channel).ToGrainKey());
}
