using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.AspNetCore.Transport;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// A consumer whose oldest queued frame waits past <c>SendQueueMaxDelay</c> is closed with 4013 by the front-end's
/// sweep, though its queue is far from its bytes and frames (the host bounds this queue by time alone).
/// </summary>
[Collection(DelayBoundCollection.Name)]
public sealed class SlowConsumerTests(DelayBoundFixture fixture)
{
    /// <summary>A payload just within the 64 KiB a publish may carry.</summary>
    private static readonly string Blob = new('x', 60_000);

    [Fact]
    public async Task AConsumerThatFallsBehindPastTheDelayBoundIsClosedWith4013UnderItsByteBound()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var tabs = fixture.Web.Service<IOrleansTabs>();
        for (var i = 0; i < 20; i++)
        {
            await tabs.PublishAsync(room, new { n = i, blob = Blob });
        }

        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.JoinAsync(room);
            var socket = Assert.Single(fixture.Web.Service<LocalConnections>().All, s => s.User == session.User && s.Address.Tab == tab.Tab);
            var bound = fixture.Web.Service<Microsoft.Extensions.Options.IOptions<SocketOptions>>().Value.SendQueueBytes;
            tab.PauseReading();

            // Large replies, one at a time, until one is pending in a write behind the connection's full buffers; then
            // one more, which waits in the queue behind it, and nothing more.
            var metrics = fixture.Web.Service<FrontEndMetrics>();
            for (var i = 0; i < 200 && !socket.WriteStalled(TimeSpan.Zero) && socket.CloseCode is null; i++)
            {
                var written = metrics.FramesOut;
                await tab.SendAsync(new { type = "history", room, limit = 200, id = $"h{i}" });
                await Deadline.UntilAsync(
                    () => metrics.FramesOut > written || socket.WriteStalled(TimeSpan.Zero) || socket.QueuedBytes > 0,
                    "the reply is written or waits");
            }

            Assert.True(socket.WriteStalled(TimeSpan.Zero), "the replies never filled the connection's buffers");

            // A reply waits in the queue behind the pending write until the sweep finds it waited past the bound. The
            // kernel may still grow the connection's buffers and take the waiting reply into a write of its own, which
            // leaves the queue empty: then one more is asked for, so that a reply always waits.
            for (var i = 0; socket.CloseCode is null; i++)
            {
                Assert.True(i < 200, "no reply stayed in the send queue");
                var queued = socket.FramesQueued;
                await tab.SendAsync(new { type = "history", room, limit = 200, id = $"behind{i}" });
                await Deadline.UntilAsync(() => socket.CloseCode is not null || socket.FramesQueued > queued, "the reply is queued");
                await Deadline.UntilAsync(() => socket.CloseCode is not null || socket.QueuedBytes == 0, "the consumer that fell behind is closed");
            }

            Assert.Equal(4013, socket.CloseCode);
            Assert.True(socket.MostQueuedBytes < bound / 2, $"the send queue held {socket.MostQueuedBytes} bytes");

            tab.ResumeReading();
            var (code, _) = await tab.ExpectCloseAsync();
            Assert.Equal(4013, code);
        }
    }
}
