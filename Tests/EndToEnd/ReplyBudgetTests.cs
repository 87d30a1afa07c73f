using System.Text.Json;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.Streams;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// Replies are bounded in bytes (docs/protocol.md section 9): a <c>history</c> page fits 256 KiB and says when the
/// budget cut it short, a deep resume of large messages is fetched in pages, and a consumer that stops reading while it
/// asks for large replies is closed with 4013 before its send queue holds more than its byte bound and one frame. The
/// host's queue holds 100,000 frames, so only the bytes can bound it.
/// </summary>
[Collection(ByteBoundCollection.Name)]
public sealed class ReplyBudgetTests(ByteBoundFixture fixture)
{
    /// <summary>A payload just within the 64 KiB a publish may carry.</summary>
    private static readonly string Blob = new('x', 60_000);

    [Fact]
    public async Task AHistoryOfLargeMessagesComesInPagesWithinTheBudgetThatSayTheyWereTruncated()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        await PublishAsync(room, 10);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.JoinAsync(room);
            var offsets = new List<long>();
            long? before = null;
            for (var pages = 0; ; pages++)
            {
                Assert.True(pages < 10, "the pages never ended");
                await tab.SendAsync(before is null ? new { type = "history", room, limit = 200 } : new { type = "history", room, before, limit = 200 });
                var page = await tab.ExpectAsync("history");
                Assert.True(Encoding(page) <= ReplyBudget.MaxBytes, $"a history frame of {Encoding(page)} bytes");
                var messages = page.GetProperty("messages").EnumerateArray().Select(m => m.Offset()).ToList();
                offsets.InsertRange(0, messages);
                if (!page.TryGetProperty("truncated", out var truncated))
                {
                    break;
                }

                Assert.True(truncated.GetBoolean());
                Assert.InRange(messages.Count, 1, 9);
                before = messages[0];
            }

            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), offsets);
        }
    }

    [Fact]
    public async Task AResumeOfMoreBytesThanTheSendQueueHoldsIsReplayedWholeInPages()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var reader = TabClient.NewId();
        var (first, _) = await session.OpenAsync("chat", reader);
        var epoch = (await first.JoinAsync(room)).GetProperty("epoch").GetString()!;
        await first.DisposeAsync();

        // 40 such messages: more than twice the queue's bytes, several of the grains' pages.
        await PublishAsync(room, 40);
        var (resumed, _) = await session.OpenAsync("chat", reader);
        await using (resumed)
        {
            var (frames, done) = await resumed.ResumeAsync("room:" + room, epoch, 0);
            Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), frames.Where(f => f.GetProperty("type").GetString() == "message").Select(f => f.Offset()));
            Assert.Equal(40, done.GetProperty("streams").GetProperty("room:" + room).GetProperty("replayed").GetInt32());
            Assert.False(resumed.Closed.IsCompleted, "the replay closed the socket");
        }
    }

    [Fact]
    public async Task AConsumerThatStopsReadingWhileAskingForLargeHistoriesIsClosedWith4013WithinTheByteBound()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        await PublishAsync(room, 20);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.JoinAsync(room);
            var socket = Assert.Single(fixture.Web.Service<LocalConnections>().All, s => s.User == session.User && s.Address.Tab == tab.Tab);
            tab.PauseReading();

            // Each answer is a page of about 256 KiB: far fewer than these fill the socket's buffers and then its queue.
            for (var i = 0; i < 300 && socket.CloseCode is null; i++)
            {
                await tab.SendAsync(new { type = "history", room, limit = 200, id = $"h{i}" });
            }

            await Deadline.UntilAsync(() => socket.CloseCode is not null, "the socket that stopped reading is closed");
            Assert.Equal(4013, socket.CloseCode);
            var bound = fixture.Web.Service<Microsoft.Extensions.Options.IOptions<OrleansTabs.AspNetCore.Transport.SocketOptions>>().Value.SendQueueBytes;
            Assert.True(socket.MostQueuedBytes <= bound + ReplyBudget.MaxBytes + 1024, $"the send queue held {socket.MostQueuedBytes} bytes");

            tab.ResumeReading();
            var (code, _) = await tab.ExpectCloseAsync();
            Assert.Equal(4013, code);
        }
    }

    private async Task PublishAsync(string room, int count)
    {
        var tabs = fixture.Web.Service<IOrleansTabs>();
        for (var i = 0; i < count; i++)
        {
            await tabs.PublishAsync(room, new { n = i, blob = Blob });
        }
    }

    private static int Encoding(JsonElement frame) => JsonSerializer.SerializeToUtf8Bytes(frame).Length;
}
