using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using IConnectionMultiplexer = StackExchange.Redis.IConnectionMultiplexer;
using OrleansTabs.Streams;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Grains;

/// <summary>The takeover and duplicate rules of docs/protocol.md section 2, on the fake clock.</summary>
[Collection(GrainCollection.Name)]
public sealed class TabGrainTests(GrainClusterFixture fixture)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private static string NewId() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task TheSameInstanceTakesOverAndTheOldConnectionGets4509()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var instance = NewId();
        var old = NewId();
        await tab.ConnectAsync(frontEnd.Connect(instance, old, Heartbeat));

        var result = await tab.ConnectAsync(frontEnd.Connect(instance, NewId(), Heartbeat));

        Assert.Equal(ConnectOutcome.Accepted, result.Outcome);
        Assert.Equal(4509, (await frontEnd.WaitForCloseAsync(old)).Code);
        Assert.Equal(FrameVerdict.Superseded, await tab.TouchAsync(old));
    }

    [Fact]
    public async Task ADifferentInstanceOfALiveConnectionIsADuplicateAndChangesNothing()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var live = NewId();
        await tab.ConnectAsync(frontEnd.Connect(NewId(), live, Heartbeat));

        var result = await tab.ConnectAsync(frontEnd.Connect(NewId(), NewId(), Heartbeat));

        Assert.Equal(ConnectOutcome.Duplicate, result.Outcome);
        Assert.Equal(FrameVerdict.Ok, await tab.TouchAsync(live));
        Assert.DoesNotContain(frontEnd.Closes, c => c.ConnectionId == live);
    }

    [Fact]
    public async Task ADifferentInstanceTakesOverAConnectionSilentForLongerThanAHeartbeat()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var stale = NewId();
        await tab.ConnectAsync(frontEnd.Connect(NewId(), stale, Heartbeat));

        fixture.Clock.Advance(Heartbeat + TimeSpan.FromSeconds(1));
        var result = await tab.ConnectAsync(frontEnd.Connect(NewId(), NewId(), Heartbeat));

        Assert.Equal(ConnectOutcome.Accepted, result.Outcome);
        Assert.Equal(4509, (await frontEnd.WaitForCloseAsync(stale)).Code);
    }

    [Fact]
    public async Task AFrameKeepsAConnectionLive()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var live = NewId();
        await tab.ConnectAsync(frontEnd.Connect(NewId(), live, Heartbeat));

        fixture.Clock.Advance(Heartbeat - TimeSpan.FromSeconds(1));
        Assert.Equal(FrameVerdict.Ok, await tab.TouchAsync(live));
        fixture.Clock.Advance(Heartbeat - TimeSpan.FromSeconds(1));

        Assert.Equal(ConnectOutcome.Duplicate, (await tab.ConnectAsync(frontEnd.Connect(NewId(), NewId(), Heartbeat))).Outcome);
    }

    [Fact]
    public async Task AfterADisconnectAnyInstanceIsAccepted()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var first = NewId();
        await tab.ConnectAsync(frontEnd.Connect(NewId(), first, Heartbeat));
        await tab.DisconnectAsync(first, clean: true, TabClose.Lost(DateTimeOffset.UtcNow));

        Assert.Equal(ConnectOutcome.Accepted, (await tab.ConnectAsync(frontEnd.Connect(NewId(), NewId(), Heartbeat))).Outcome);
    }

    [Fact]
    public async Task ALateDisconnectOfASupersededConnectionDoesNotDetachTheNewOne()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var instance = NewId();
        var old = NewId();
        var current = NewId();
        await tab.ConnectAsync(frontEnd.Connect(instance, old, Heartbeat));
        await tab.ConnectAsync(frontEnd.Connect(instance, current, Heartbeat));

        await tab.DisconnectAsync(old, clean: false, TabClose.Lost(DateTimeOffset.UtcNow));

        Assert.Equal(FrameVerdict.Ok, await tab.TouchAsync(current));
    }

    [Fact]
    public async Task TheTabStreamKeepsPushesForResumeUntilTheClientAcksThem()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var connection = NewId();
        var epoch = (await tab.ConnectAsync(frontEnd.Connect(NewId(), connection, Heartbeat))).Streams["tab"].Epoch;
        for (var i = 1; i <= 3; i++)
        {
            Assert.True(await tab.PushAsync($"{{\"n\":{i}}}"));
        }

        var fromStart = await tab.ResumeAsync(connection, ImmutableDictionary<string, StreamPosition>.Empty.Add("tab", new StreamPosition(epoch, 0)));
        Assert.Equal([1L, 2, 3], fromStart.Replay.Select(m => m.Offset));

        Assert.Equal(FrameVerdict.Ok, await tab.AckAsync(connection, "tab", 2));

        var afterAck = await tab.ResumeAsync(connection, ImmutableDictionary<string, StreamPosition>.Empty.Add("tab", new StreamPosition(epoch, 2)));
        Assert.Equal([3L], afterAck.Replay.Select(m => m.Offset));
        var trimmed = await tab.ResumeAsync(connection, ImmutableDictionary<string, StreamPosition>.Empty.Add("tab", new StreamPosition(epoch, 0)));
        Assert.Equal("gap", trimmed.Streams["tab"].ResetReason);
        var otherEpoch = await tab.ResumeAsync(connection, ImmutableDictionary<string, StreamPosition>.Empty.Add("tab", new StreamPosition("old", 2)));
        Assert.Equal("epoch", otherEpoch.Streams["tab"].ResetReason);
    }

    [Fact]
    public async Task APushWhoseDurableWriteFailsLeavesNoFrameAndNoOffsetBehind()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var connection = NewId();
        var epoch = (await tab.ConnectAsync(frontEnd.Connect(NewId(), connection, Heartbeat))).Streams["tab"].Epoch;
        Assert.True(await tab.PushAsync("{\"n\":1}"));

        // Another writer moved the stored record on (its etag no longer matches): the tab's next write fails.
        var redis = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<OrleansTabs.Grains.Hosting.RedisConnection>().Multiplexer;
        var record = redis.GetServers()[0].Keys(pattern: $"*{tab.GetPrimaryKeyString().Split('/')[2]}*").Single();
        var etag = await redis.GetDatabase().HashGetAsync(record, "etag");
        Assert.False(etag.IsNull, "the tab's state record has an etag");
        await redis.GetDatabase().HashSetAsync(record, "etag", "moved-on");

        await Assert.ThrowsAnyAsync<Exception>(() => tab.PushAsync("{\"n\":2}", "key-2"));

        // Nothing of the failed push is visible, before or after the tab reloads its state.
        var replay = await tab.ResumeAsync(connection, ImmutableDictionary<string, StreamPosition>.Empty.Add("tab", new StreamPosition(epoch, 0)));
        Assert.Equal([1L], replay.Replay.Select(m => m.Offset));
        await redis.GetDatabase().HashSetAsync(record, "etag", etag);
        await fixture.Cluster.DeactivateAsync(tab);
        await tab.DisconnectAsync(connection, clean: false, TabClose.Lost(DateTimeOffset.UtcNow));
        await tab.ConnectAsync(frontEnd.Connect(NewId(), connection = NewId(), Heartbeat));

        // The retry with the same key is a first push: it gets the next offset, no hole.
        await tab.PushAsync("{\"n\":2}", "key-2");
        var after = await tab.ResumeAsync(connection, ImmutableDictionary<string, StreamPosition>.Empty.Add("tab", new StreamPosition(epoch, 0)));
        Assert.Equal([1L, 2], after.Replay.Select(m => m.Offset));
        Assert.Equal("{\"n\":2}", after.Replay[1].PayloadJson);
    }

    [Fact]
    public async Task APushRepeatedWithItsIdempotencyKeyAddsNoSecondFrameAndAnswersTheSame()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var connection = NewId();
        var epoch = (await tab.ConnectAsync(frontEnd.Connect(NewId(), connection, Heartbeat))).Streams["tab"].Epoch;

        Assert.True(await tab.PushAsync("{\"n\":1}", "once"));
        await tab.DisconnectAsync(connection, clean: false, TabClose.Lost(DateTimeOffset.UtcNow));
        await fixture.Cluster.DeactivateAsync(tab);

        // Disconnected now, yet the repeat is answered as the first push was (delivered), and appends nothing.
        Assert.True(await tab.PushAsync("{\"n\":1}", "once"));
        Assert.False(await tab.PushAsync("{\"n\":2}", "other"));
        await tab.ConnectAsync(frontEnd.Connect(NewId(), connection = NewId(), Heartbeat));
        var replay = await tab.ResumeAsync(connection, ImmutableDictionary<string, StreamPosition>.Empty.Add("tab", new StreamPosition(epoch, 0)));
        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], replay.Replay.Select(m => m.PayloadJson));
    }

    [Fact]
    public async Task ANewTabIsRecordedByItsSessionAloneUntilItHasStateOfItsOwn()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var connection = NewId();
        await tab.ConnectAsync(frontEnd.Connect(NewId(), connection, Heartbeat));
        var tabId = TabAddress.FromGrainKey(tab.GetPrimaryKeyString()).Tab;
        var redis = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<OrleansTabs.Grains.Hosting.RedisConnection>().Multiplexer;

        // The connect is one durable write, the session's: the tab has nothing of its own to store yet.
        Assert.Empty(redis.GetServers()[0].Keys(pattern: $"*{tabId}*"));

        Assert.Equal(FrameVerdict.Ok, (await tab.JoinAsync(connection, "r" + NewId())).Verdict);
        Assert.Single(redis.GetServers()[0].Keys(pattern: $"*{tabId}*"));
    }

    [Fact]
    public async Task AReactivatedTabKeepsTheConnectionItsSessionRecorded()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var connection = NewId();
        await tab.ConnectAsync(frontEnd.Connect(NewId(), connection, Heartbeat));

        // Its silo died: the socket is still open on its front-end, and the tab never wrote a state of its own.
        await fixture.Cluster.DeactivateAsync(tab);

        Assert.Equal(FrameVerdict.Ok, await tab.TouchAsync(connection));
        Assert.Equal(FrameVerdict.Superseded, await tab.TouchAsync(NewId()));
    }

    [Fact]
    public async Task AReactivatedTabRefusesADuplicatePageAndKeepsItsStreamEpoch()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var instance = NewId();
        var first = NewId();
        var epoch = (await tab.ConnectAsync(frontEnd.Connect(instance, first, Heartbeat))).Streams["tab"].Epoch;
        await fixture.Cluster.DeactivateAsync(tab);

        // Within a heartbeat of the reactivation the recorded socket may still be live: another page's copy is refused.
        Assert.Equal(ConnectOutcome.Duplicate, (await tab.ConnectAsync(frontEnd.Connect(NewId(), NewId(), Heartbeat))).Outcome);

        // The same page reconnecting takes over, on the same (still empty) tab stream: nothing to reset.
        var again = await tab.ConnectAsync(frontEnd.Connect(instance, NewId(), Heartbeat));
        Assert.Equal(ConnectOutcome.Accepted, again.Outcome);
        Assert.Equal(new StreamPosition(epoch, 0), again.Streams["tab"]);
        Assert.Equal(4509, (await frontEnd.WaitForCloseAsync(first)).Code);
    }

    [Fact]
    public async Task AReactivatedTabKnowsItsSocketClosedBeforeItsSiloDied()
    {
        var (tab, frontEnd) = await NewTabAsync();
        var connection = NewId();
        await tab.ConnectAsync(frontEnd.Connect(NewId(), connection, Heartbeat));
        await tab.DisconnectAsync(connection, clean: false, TabClose.Lost(DateTimeOffset.UtcNow));
        var session = fixture.Client.GetGrain<ISessionGrain>(TabAddress.FromGrainKey(tab.GetPrimaryKeyString()).Session);
        await Deadline.UntilAsync(async () => !Assert.Single((await session.GetTabsAsync())!).Connected, "the session records the disconnect");

        await fixture.Cluster.DeactivateAsync(tab);

        Assert.Equal(FrameVerdict.Detached, await tab.TouchAsync(connection));
        Assert.Equal(ConnectOutcome.Accepted, (await tab.ConnectAsync(frontEnd.Connect(NewId(), NewId(), Heartbeat))).Outcome);
    }

    private async Task<(ITabGrain Tab, RecordingFrontEnd FrontEnd)> NewTabAsync()
    {
        var session = "s" + NewId();
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync("tabby");
        var frontEnd = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        return (fixture.Client.GetGrain<ITabGrain>(new TabAddress(session, NewId(), "chat").ToGrainKey()), frontEnd);
    }
}
