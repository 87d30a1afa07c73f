using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

[Collection(AllInOneCollection.Name)]
public sealed class ChatTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task ASendIsAckedWithItsOffsetAndReachesEveryMemberOnce()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (a, _) = await session.OpenAsync("chat");
        var (b, _) = await session.OpenAsync("chat");
        var (outsider, _) = await session.OpenAsync("chat");
        await using (a)
        await using (b)
        await using (outsider)
        {
            var joined = await a.JoinAsync(room);
            Assert.Equal("room:" + room, joined.GetProperty("stream").GetString());
            Assert.Equal(0, joined.Offset());
            await b.JoinAsync(room);

            var ack = await a.SendChatAsync(room, "c1", "hello");
            Assert.Equal("room:" + room, ack.GetProperty("stream").GetString());
            Assert.Equal(1, ack.Offset());

            foreach (var tab in new[] { a, b })
            {
                var message = Assert.Single(await tab.MessagesAsync("room:" + room, 1));
                Assert.Equal(1, message.Offset());
                Assert.Equal("hello", message.GetProperty("text").GetString());
                Assert.Equal("c1", message.GetProperty("clientId").GetString());
                Assert.Equal(a.Tab, message.GetProperty("from").GetProperty("tab").GetString());
                Assert.Equal(session.User, message.GetProperty("from").GetProperty("user").GetString());
                Assert.Equal(room, message.GetProperty("room").GetString());
                Assert.Equal(joined.GetProperty("epoch").GetString(), message.GetProperty("epoch").GetString());
            }

            // The outsider never joined: a ping round trip proves nothing else was queued before it.
            await outsider.SendAsync(new { type = "ping" });
            Assert.Equal("pong", (await outsider.NextAsync()).GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task OffsetsAreConsecutiveAcrossSenders()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (a, _) = await session.OpenAsync("chat");
        var (b, _) = await session.OpenAsync("chat");
        await using (a)
        await using (b)
        {
            await a.JoinAsync(room);
            await b.JoinAsync(room);
            var sends = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).SendAsync(new { type = "send", id = $"m{i}", room, text = $"t{i}" }));
            await Task.WhenAll(sends);
            var offsets = (await a.MessagesAsync("room:" + room, 20)).Select(m => m.Offset()).ToList();
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), offsets);
        }
    }

    [Fact]
    public async Task AResendOfTheSameIdIsAckedAgainWithTheSameOffsetAndNeverPostedTwice()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var tab = TabClient.NewId();
        var (first, _) = await session.OpenAsync("chat", tab);
        await first.JoinAsync(room);
        var ack = await first.SendChatAsync(room, "once", "only once");
        await first.DisposeAsync();

        // A reconnect of the same tab (the ack was "lost") resends the same id.
        var (second, _) = await session.OpenAsync("chat", tab);
        await using (second)
        {
            var again = await second.SendChatAsync(room, "once", "only once");
            Assert.Equal(ack.Offset(), again.Offset());
            await second.SendAsync(new { type = "history", room });
            var history = await second.ExpectAsync("history");
            Assert.Single(history.GetProperty("messages").EnumerateArray());
        }
    }

    [Fact]
    public async Task PipelinedSendsOfOneSocketAreAckedInSendOrderWithIncreasingOffsets()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (sender, _) = await session.OpenAsync("chat");
        await using (sender)
        {
            await sender.JoinAsync(room);

            // Every send is written before any ack is read: several are in flight at once on the server.
            for (var i = 0; i < 60; i++)
            {
                await sender.SendAsync(new { type = "send", id = $"p{i}", room, text = $"message {i}" });
            }

            var acks = new List<System.Text.Json.JsonElement>();
            while (acks.Count < 60)
            {
                acks.Add(await sender.ExpectAsync("ack"));
            }

            Assert.Equal(Enumerable.Range(0, 60).Select(i => $"p{i}"), acks.Select(a => a.GetProperty("id").GetString()));
            Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), acks.Select(a => a.Offset()));
        }
    }

    [Fact]
    public async Task MembershipSurvivesAReconnectAndResumeReplaysExactlyWhatWasMissedInOrder()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var tabB = TabClient.NewId();
        var (a, _) = await session.OpenAsync("chat");
        var (b, _) = await session.OpenAsync("chat", tabB);
        await using (a)
        {
            await a.JoinAsync(room);
            var joined = await b.JoinAsync(room);
            var epoch = joined.GetProperty("epoch").GetString()!;
            await a.SendChatAsync(room, "before", "seen by B");
            var seen = Assert.Single(await b.MessagesAsync("room:" + room, 1));
            b.Abort();
            await b.DisposeAsync();

            for (var i = 0; i < 50; i++)
            {
                await a.SendChatAsync(room, $"missed-{i}", $"missed {i}");
            }

            var (resumed, welcome) = await session.OpenAsync("chat", tabB);
            await using (resumed)
            {
                Assert.True(welcome.GetProperty("streams").TryGetProperty("room:" + room, out var head), "a reconnect keeps the tab's rooms");
                Assert.Equal(51, head.GetProperty("offset").GetInt64());
                var (frames, done) = await resumed.ResumeAsync("room:" + room, epoch, seen.Offset());
                var replayed = frames.Where(f => f.GetProperty("type").GetString() == "message").ToList();
                Assert.Equal(Enumerable.Range(2, 50).Select(i => (long)i), replayed.Select(m => m.Offset()));
                Assert.Equal(Enumerable.Range(0, 50).Select(i => $"missed {i}"), replayed.Select(m => m.GetProperty("text").GetString()));
                var outcome = done.GetProperty("streams").GetProperty("room:" + room);
                Assert.Equal(50, outcome.GetProperty("replayed").GetInt32());
                Assert.True(outcome.GetProperty("recovered").GetBoolean());

                // Live messages keep flowing after the replay, without a new join.
                await a.SendChatAsync(room, "after", "live again");
                var live = Assert.Single(await resumed.MessagesAsync("room:" + room, 1));
                Assert.Equal(52, live.Offset());
            }
        }
    }

    [Fact]
    public async Task AResumeFromAnotherEpochGetsResetAndRecoveredFalse()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var tab = TabClient.NewId();
        var (first, _) = await session.OpenAsync("chat", tab);
        await first.JoinAsync(room);
        await first.DisposeAsync();

        var (second, _) = await session.OpenAsync("chat", tab);
        await using (second)
        {
            var (frames, resumed) = await second.ResumeAsync("room:" + room, "not-the-epoch", 3);
            var reset = Assert.Single(frames, f => f.GetProperty("type").GetString() == "reset");
            Assert.Equal("room:" + room, reset.GetProperty("stream").GetString());
            Assert.Equal("epoch", reset.GetProperty("reason").GetString());
            Assert.False(resumed.GetProperty("streams").GetProperty("room:" + room).GetProperty("recovered").GetBoolean());
        }
    }

    [Fact]
    public async Task HistoryPagesBackwardsOldestFirst()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.JoinAsync(room);
            for (var i = 1; i <= 12; i++)
            {
                await tab.SendChatAsync(room, $"h{i}", $"line {i}");
            }

            await tab.SendAsync(new { type = "history", room, limit = 5 });
            var page1 = (await tab.ExpectAsync("history")).GetProperty("messages").EnumerateArray().Select(m => m.Offset()).ToList();
            Assert.Equal([8L, 9, 10, 11, 12], page1);

            await tab.SendAsync(new { type = "history", room, before = page1[0], limit = 5 });
            var page2 = (await tab.ExpectAsync("history")).GetProperty("messages").EnumerateArray().Select(m => m.Offset()).ToList();
            Assert.Equal([3L, 4, 5, 6, 7], page2);

            await tab.SendAsync(new { type = "history", room, before = page2[0], limit = 500 });
            var page3 = (await tab.ExpectAsync("history")).GetProperty("messages").EnumerateArray().Select(m => m.Offset()).ToList();
            Assert.Equal([1L, 2], page3);
        }
    }

    [Fact]
    public async Task LeaveStopsDeliveryAndSendAfterLeaveIsNotMember()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (a, _) = await session.OpenAsync("chat");
        var (b, _) = await session.OpenAsync("chat");
        await using (a)
        await using (b)
        {
            await a.JoinAsync(room);
            await b.JoinAsync(room);
            await b.SendAsync(new { type = "leave", room });
            Assert.Equal(room, (await b.ExpectAsync("left")).GetProperty("room").GetString());

            await a.SendChatAsync(room, "x", "after leave");
            await b.SendAsync(new { type = "send", id = "y", room, text = "no" });
            var next = await b.NextAsync();
            Assert.Equal("error", next.GetProperty("type").GetString());
            Assert.Equal("not_member", next.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task AResumeThatComesAfterLiveFramesResetsTheStreamInsteadOfRepeatingThem()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var tabB = TabClient.NewId();
        var (a, _) = await session.OpenAsync("chat");
        var (b, _) = await session.OpenAsync("chat", tabB);
        await using (a)
        {
            await a.JoinAsync(room);
            var epoch = (await b.JoinAsync(room)).GetProperty("epoch").GetString()!;
            await b.DisposeAsync();
            await a.SendChatAsync(room, "missed", "missed while away");

            // B comes back but stays silent: after the resume window, live frames flow without a resume.
            var (late, _) = await session.OpenAsync("chat", tabB);
            await using (late)
            {
                await a.SendChatAsync(room, "live", "live after the window");
                Assert.Equal(2, Assert.Single(await late.MessagesAsync("room:" + room, 1)).Offset());

                var (frames, resumed) = await late.ResumeAsync("room:" + room, epoch, 0);
                Assert.DoesNotContain(frames, f => f.GetProperty("type").GetString() == "message");
                Assert.Equal("gap", Assert.Single(frames, f => f.GetProperty("type").GetString() == "reset").GetProperty("reason").GetString());
                Assert.False(resumed.GetProperty("streams").GetProperty("room:" + room).GetProperty("recovered").GetBoolean());
            }
        }
    }
}
