using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansTabs.Presence;
using OrleansTabs.Rooms;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;
using OrleansTabs.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrleansTabs.Tests.Grains;

/// <summary>Room logs: consecutive offsets, idempotent posts, group commit, retention (5 messages here) and epochs.</summary>
[Collection(GrainCollection.Name)]
public sealed class RoomGrainTests(GrainClusterFixture fixture)
{
    private static string NewRoom() => "r-" + Guid.NewGuid().ToString("N")[..12];

    private static PostRequest Post(string clientId, string text = "hi", string tabKey = "s/chat/tab1") =>
        new(tabKey, clientId, "user", "tab1", text);

    [Fact]
    public async Task OffsetsStartAtOneAndAreConsecutive()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        var offsets = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            offsets.Add((await room.PostAsync(Post($"c{i}"))).Offset);
        }

        Assert.Equal([1L, 2, 3, 4], offsets);
        Assert.Equal(4, (await room.HeadAsync()).Offset);
    }

    [Fact]
    public async Task APostIsIdempotentByTabAndClientId()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        var first = await room.PostAsync(Post("same"));
        var again = await room.PostAsync(Post("same"));
        var otherTab = await room.PostAsync(Post("same", tabKey: "s/chat/tab2"));

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Offset, again.Offset);
        Assert.Equal(first.Offset + 1, otherTab.Offset);
    }

    [Fact]
    public async Task ConcurrentPostsAreGroupCommittedWithDistinctConsecutiveOffsets()
    {
        var name = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(name);
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => room.PostAsync(Post($"g{i}"))));

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), results.Select(r => r.Offset).Order());
        Assert.True(CountingRoomLog.AppendsTo(name) < 100, $"expected batched writes, saw {CountingRoomLog.AppendsTo(name)} for 100 posts");
    }

    [Fact]
    public async Task RetentionKeepsTheNewestMessagesAndAnOlderResumeGetsAGapReset()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        for (var i = 1; i <= 8; i++)
        {
            await room.PostAsync(Post($"k{i}", $"line {i}"));
        }

        var history = await room.HistoryAsync(before: null, limit: 50);
        Assert.Equal([4L, 5, 6, 7, 8], history.Messages.Select(m => m.Offset));

        var head = await room.HeadAsync();
        var tooOld = await room.ReplayAsync(head with { Offset = 1 }, ReplyBudget.MaxBytes);
        Assert.Equal("gap", tooOld.ResetReason);
        var retained = await room.ReplayAsync(head with { Offset = 3 }, ReplyBudget.MaxBytes);
        Assert.Null(retained.ResetReason);
        Assert.Equal([4L, 5, 6, 7, 8], retained.Messages.Select(m => m.Offset));
    }

    [Fact]
    public async Task AcknowledgedPostsSurviveAReactivationFromRedis()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        await room.PostAsync(Post("p1", "one"));
        await room.PostAsync(Post("p2", "two"));
        var head = await room.HeadAsync();

        await fixture.Cluster.DeactivateAsync(room);

        Assert.Equal(head, await room.HeadAsync());
        Assert.Equal(["one", "two"], (await room.HistoryAsync(null, 10)).Messages.Select(m => m.Text));
        Assert.True((await room.PostAsync(Post("p1", "one"))).Duplicate);
    }

    [Fact]
    public async Task AResendIsRecognizedAfterMoreMessagesThanAnyWindowInMemoryAndAfterAReactivation()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        var first = await room.PostAsync(Post("early", "early"));
        for (var i = 0; i < 20; i++)
        {
            // Four times the retention (5 here): the message and its id left the log and the grain's memory long ago.
            await room.PostAsync(Post($"later{i}"));
        }

        var head = await room.HeadAsync();
        var resent = await room.PostAsync(Post("early", "early"));
        Assert.True(resent.Duplicate);
        Assert.Equal(first.Offset, resent.Offset);

        await fixture.Cluster.DeactivateAsync(room);
        var afterReactivation = await room.PostAsync(Post("early", "early"));
        Assert.True(afterReactivation.Duplicate);
        Assert.Equal(first.Offset, afterReactivation.Offset);
        Assert.Equal(head, await room.HeadAsync());

        // A resend in the same group commit as new posts: the new ones get the next offsets, with no hole.
        var results = await Task.WhenAll(room.PostAsync(Post("later3")), room.PostAsync(Post("fresh1")), room.PostAsync(Post("fresh2")));
        Assert.Equal([true, false, false], results.Select(r => r.Duplicate));
        Assert.Equal(5, results[0].Offset);
        Assert.Equal([head.Offset + 1, head.Offset + 2], results.Skip(1).Select(r => r.Offset).Order());
        Assert.Equal(["fresh1", "fresh2", "later19"], (await room.HistoryAsync(null, 3)).Messages.Select(m => m.ClientId).Order(StringComparer.Ordinal));
        Assert.Equal(head.Offset + 2, (await room.HeadAsync()).Offset);
    }

    [Fact]
    public async Task AnIdIsForgottenOnlyAfterTheDedupWindow()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        var first = await room.PostAsync(Post("windowed"));
        for (var i = 0; i < 12; i++)
        {
            await room.PostAsync(Post($"filler{i}"));
        }

        fixture.Clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(first.Offset, (await room.PostAsync(Post("windowed"))).Offset);

        // Past the window (2 minutes by default) the id is gone from the log and from memory: a post like any other.
        fixture.Clock.Advance(TimeSpan.FromSeconds(60));
        var late = await room.PostAsync(Post("windowed"));
        Assert.False(late.Duplicate);
        Assert.Equal(14, late.Offset);
    }

    [Fact]
    public async Task ARoomRebuiltWithoutItsHistoryHasANewEpochAndOldPositionsReset()
    {
        var name = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(name);
        await room.PostAsync(Post("e1"));
        var before = await room.HeadAsync();

        await fixture.Cluster.DeactivateAsync(room);
        var redis = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<OrleansTabs.Grains.Hosting.RedisConnection>().Multiplexer;
        var server = redis.GetServers()[0];
        foreach (var key in server.Keys(pattern: $"*room:{{{name}}}*"))
        {
            await redis.GetDatabase().KeyDeleteAsync(key);
        }

        var after = await room.HeadAsync();
        Assert.NotEqual(before.Epoch, after.Epoch);
        Assert.Equal("epoch", (await room.ReplayAsync(before, ReplyBudget.MaxBytes)).ResetReason);
    }

    [Fact]
    public async Task EveryKeyOfARoomKeepsAnExpiryThatIsRenewedOncePerIntervalNotOnEveryAppend()
    {
        var name = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(name);
        var redis = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<OrleansTabs.Grains.Hosting.RedisConnection>().Multiplexer;
        var db = redis.GetDatabase();
        RedisKey KeyOf(string part) => redis.GetServers()[0].Keys(pattern: $"*room:{{{name}}}:{part}").Single();

        async Task<(long? Renewed, long? IdsRenewed)> AfterPostAsync(string clientId)
        {
            await room.PostAsync(Post(clientId));
            foreach (var part in new[] { "log", "meta", "ids", "idtimes" })
            {
                Assert.True(await db.KeyTimeToLiveAsync(KeyOf(part)) is { } ttl && ttl > TimeSpan.Zero, $"{part} has no expiry");
            }

            var stamps = await db.HashGetAsync(KeyOf("meta"), ["renewed", "idsrenewed"]);
            return ((long?)stamps[0], (long?)stamps[1]);
        }

        var start = fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal((start, start), await AfterPostAsync("x1"));

        // Within both intervals (30 s for the ids, 30 minutes for the log): nothing is renewed.
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal((start, start), await AfterPostAsync("x2"));

        // Past the ids' interval only.
        fixture.Clock.Advance(TimeSpan.FromSeconds(25));
        var ids = fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal((start, ids), await AfterPostAsync("x3"));

        // Past both.
        fixture.Clock.Advance(TimeSpan.FromMinutes(31));
        var both = fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal((both, both), await AfterPostAsync("x4"));
        Assert.Equal([1L, 2, 3, 4], (await room.HistoryAsync(null, 10)).Messages.Select(m => m.Offset));
    }

    [Fact]
    public async Task AWriteThatCommittedUnseenIsNeverOverwrittenAndItsResendIsDeduplicated()
    {
        var name = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(name);
        await room.PostAsync(Post("p1"));
        var epoch = (await room.HeadAsync()).Epoch;

        // As if an append of "ghost" had committed in Redis but its reply never reached the room grain.
        var redis = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<OrleansTabs.Grains.Hosting.RedisConnection>().Multiplexer;
        var logKey = redis.GetServers()[0].Keys(pattern: $"*room:{{{name}}}:log").Single();
        var metaKey = redis.GetServers()[0].Keys(pattern: $"*room:{{{name}}}:meta").Single();
        var ghost = new OrleansTabs.Grains.Rooms.StoredMessage(2, "g", "s/chat/tab1", "ghost", "user", "tab1", "ghost", null, DateTimeOffset.UtcNow);
        await redis.GetDatabase().ListRightPushAsync(logKey, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(ghost, OrleansTabs.Grains.Rooms.StoredMessageJson.Default.StoredMessage));
        await redis.GetDatabase().HashSetAsync(metaKey, "head", 2);

        // The stale activation must not write offset 2 again; the client's resend then finds the committed message.
        await Assert.ThrowsAnyAsync<Exception>(() => room.PostAsync(Post("ghost", "ghost")));
        PostResult resent = null!;
        await Deadline.UntilAsync(
            async () =>
            {
                try
                {
                    resent = await room.PostAsync(Post("ghost", "ghost"));
                    return true;
                }
                catch (OrleansTabs.Grains.Rooms.RoomLogConflictException)
                {
                    return false;
                }
            },
            "the room reloads its log");
        Assert.True(resent.Duplicate);
        Assert.Equal(2, resent.Offset);
        Assert.Equal(epoch, resent.Epoch);
        Assert.Equal(3, (await room.PostAsync(Post("next"))).Offset);
        Assert.Equal([1L, 2, 3], (await room.HistoryAsync(null, 10)).Messages.Select(m => m.Offset));
    }

    [Fact]
    public async Task AMemberFrontEndMissingFromTheDirectoryAfterAReactivationGetsTheMessagesThatWaitedForItOnceItRenews()
    {
        var frontEnd = RecordingFrontEnd.Unregistered(fixture.Client);
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        await room.JoinAsync("s/chat/member", new ConnectionRef(frontEnd.Id, "c1", frontEnd.Reference), new TabPresence("u", "member", true, true));

        // Reactivated (as after a silo loss), the room knows where its member is but not that front-end's observer,
        // and the directory has not had the front-end's next renewal yet.
        await fixture.Cluster.DeactivateAsync(room);
        var waiting = await room.PostAsync(Post("w1", "while the directory is rebuilt"));

        // Longer than a lease: a renewal that was in flight to a lost silo is answered only by the response timeout.
        fixture.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await room.PublishAsync("{}"));
        await frontEnd.RenewAsync(fixture.Client, TimeSpan.FromHours(1));
        await Deadline.UntilAsync(
            () =>
            {
                fixture.Clock.Advance(TimeSpan.FromMilliseconds(100));
                return frontEnd.Deliveries.Any(d => d.Message.Offset == waiting.Offset && d.Connections.Contains("c1"));
            },
            "the message that waited for the front-end reaches its member");

        var after = await room.PostAsync(Post("w2", "after"));
        await Deadline.UntilAsync(() => frontEnd.Deliveries.Any(d => d.Message.Offset == after.Offset && d.Connections.Contains("c1")), "the next message reaches the member");
        Assert.Equal([1L, 2, 3], frontEnd.Deliveries.Select(d => d.Message.Offset).Distinct().Order());
    }

    [Fact]
    public async Task AMemberFrontEndThatNeverReappearsInTheDirectoryCountsAsGoneAfterTheResolveTimeout()
    {
        var frontEnd = RecordingFrontEnd.Unregistered(fixture.Client);
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        await room.JoinAsync("s/chat/member", new ConnectionRef(frontEnd.Id, "c1", frontEnd.Reference), new TabPresence("u", "member", true, true));
        await fixture.Cluster.DeactivateAsync(room);
        await room.PostAsync(Post("g1"));

        // 30 s by default: then its tab counts as disconnected (a later publish reaches no connected member).
        await Deadline.UntilAsync(
            async () =>
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(1));
                return await room.PublishAsync("{}") == 0;
            },
            "the room gives up on the front-end");
        Assert.Empty(frontEnd.Deliveries);
    }

    [Fact]
    public async Task AResendOfAMessageStoredWithoutItsFanOutReachesTheMembersLive()
    {
        var name = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(name);
        var frontEnd = await RecordingFrontEnd.RegisterAsync(fixture.Client);
        await room.JoinAsync("s/chat/member", new ConnectionRef(frontEnd.Id, "c1", frontEnd.Reference), new TabPresence("u", "member", true, true));
        await room.PostAsync(Post("p1"));
        var epoch = (await room.HeadAsync()).Epoch;
        await Deadline.UntilAsync(() => frontEnd.Deliveries.Any(d => d.Message.Offset == 1), "the first message is fanned out");

        // As if the room grain died after the durable append of "lost" and before its fan-out and reply.
        var redis = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<OrleansTabs.Grains.Hosting.RedisConnection>().Multiplexer;
        var logKey = redis.GetServers()[0].Keys(pattern: $"*room:{{{name}}}:log").Single();
        var metaKey = redis.GetServers()[0].Keys(pattern: $"*room:{{{name}}}:meta").Single();
        var lost = new OrleansTabs.Grains.Rooms.StoredMessage(2, "l", "s/chat/tab1", "lost", "user", "tab1", "lost", null, DateTimeOffset.UtcNow);
        await redis.GetDatabase().ListRightPushAsync(logKey, JsonSerializer.SerializeToUtf8Bytes(lost, OrleansTabs.Grains.Rooms.StoredMessageJson.Default.StoredMessage));
        await redis.GetDatabase().HashSetAsync(metaKey, "head", 2);
        await fixture.Cluster.DeactivateAsync(room);

        var resent = await room.PostAsync(Post("lost", "lost"));
        Assert.True(resent.Duplicate);
        Assert.Equal((epoch, 2L), (resent.Epoch, resent.Offset));
        await Deadline.UntilAsync(
            () => frontEnd.Deliveries.Any(d => d.Message.Offset == 2 && d.Message.Text == "lost" && d.Connections.Contains("c1")),
            "the stored message reaches the member live");
    }

    [Fact]
    public async Task HistoryAndReplayPagesOfLargeMessagesStayWithinTheReplyBudget()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        var blob = new string('x', 60_000);
        for (var i = 0; i < 5; i++)
        {
            await room.PublishMessageAsync($"{{\"n\":{i},\"blob\":\"{blob}\"}}");
        }

        var history = await room.HistoryAsync(null, 200);
        Assert.True(history.Truncated);
        Assert.Equal([2L, 3, 4, 5], history.Messages.Select(m => m.Offset));
        var older = await room.HistoryAsync(history.Messages[0].Offset, 200);
        Assert.False(older.Truncated);
        Assert.Equal([1L], older.Messages.Select(m => m.Offset));

        // Fewer than asked because fewer are retained is not truncated.
        Assert.False((await room.HistoryAsync(3, 200)).Truncated);

        var head = await room.HeadAsync();
        var replay = await room.ReplayAsync(head with { Offset = 0 }, ReplyBudget.MaxBytes);
        Assert.Equal([1L, 2, 3, 4], replay.Messages.Select(m => m.Offset));
        Assert.Equal(head, replay.Head);
        var rest = await room.ReplayAsync(head with { Offset = 4 }, ReplyBudget.MaxBytes);
        Assert.Equal([5L], rest.Messages.Select(m => m.Offset));
    }
}
