using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansTabs.Tabs;
using OrleansTabs.Tests.Infrastructure;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.AspNetCore.Protocol;
using OrleansTabs.AspNetCore.Transport;

namespace OrleansTabs.Tests.Sockets;

/// <summary>
/// A socket's send queue at its default bounds: bytes first, frames only as a backstop against floods of tiny frames,
/// and time: a burst a consumer reads through is kept, a consumer that lets the bytes or the frames overflow or whose
/// oldest frame waits past the delay bound is closed with 4013, and frames before <c>welcome</c> are bounded alike.
/// </summary>
public sealed class SendQueueBoundsTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly SocketOptions _options = new();
    private readonly FrontEndMetrics _metrics = new(new LocalConnections());

    private TabSocket NewSocket(GatedWebSocket transport)
    {
        var socket = new TabSocket(new TabAddress("session", "tab", "chat"), "instance", "user", _options, _clock, _metrics, NullLogger.Instance);
        socket.Attach(transport, stream: null);
        return socket;
    }

    /// <summary>A socket whose send loop is writing <c>welcome</c> and stays in that write until the transport opens: every frame sent now is queued.</summary>
    private async Task<(TabSocket Socket, Task Running, GatedWebSocket Transport)> StartHeldAsync()
    {
        var transport = new GatedWebSocket();
        var socket = NewSocket(transport);
        var running = socket.RunAsync(_ => ValueTask.CompletedTask, CancellationToken.None);
        socket.Accept("welcome"u8.ToArray());
        await transport.WriteStarted.WaitAsync(Deadline.Default);
        return (socket, running, transport);
    }

    private static async Task EndAsync(TabSocket socket, Task running, GatedWebSocket transport)
    {
        socket.Close(CloseReason.Normal, dropPending: true);
        transport.Abort();
        await running.WaitAsync(Deadline.Default);
    }

    /// <summary>Sends frames of <paramref name="size"/> bytes until one is refused; returns how many were taken (or <paramref name="most"/>).</summary>
    private static int SendUntilRefused(TabSocket socket, int size, int most)
    {
        for (var i = 0; i < most; i++)
        {
            if (!socket.Send(new byte[size]))
            {
                return i;
            }
        }

        return most;
    }

    [Fact]
    public async Task ABurstOfSmallFramesFarPastFiveHundredTwelveButWithinTheBytesIsKeptAndWrittenInOrder()
    {
        var (socket, running, transport) = await StartHeldAsync();
        const int burst = 3_000;
        for (var i = 0; i < burst; i++)
        {
            var frame = new byte[200];
            BitConverter.TryWriteBytes(frame, i);
            Assert.True(socket.Send(frame), $"frame {i} of the burst was refused");
        }

        Assert.Null(socket.CloseCode);
        transport.Open();
        await transport.UntilWrittenAsync(1 + burst);
        Assert.Equal(Enumerable.Range(0, burst), transport.Written.Skip(1).Select(w => BitConverter.ToInt32(w)));
        Assert.Null(socket.CloseCode);
        await EndAsync(socket, running, transport);
    }

    [Fact]
    public async Task FramesPastTheByteBoundCloseTheSocketWith4013()
    {
        var (socket, running, transport) = await StartHeldAsync();

        // Welcome is in the write, off the queue: the queue takes exactly its bytes, then refuses.
        Assert.Equal(_options.SendQueueBytes / 1024, SendUntilRefused(socket, 1024, 10_000));
        Assert.Equal(4013, socket.CloseCode);
        Assert.False(socket.Send(new byte[1]));
        await EndAsync(socket, running, transport);
    }

    [Fact]
    public async Task AFloodOfTinyFramesPastTheFrameBackstopClosesTheSocketWith4013()
    {
        var (socket, running, transport) = await StartHeldAsync();

        Assert.Equal(_options.SendQueueCapacity, SendUntilRefused(socket, 1, 100_000));
        Assert.Equal(4013, socket.CloseCode);
        await EndAsync(socket, running, transport);
    }

    [Fact]
    public async Task AHeadFrameThatWaitedPastTheDelayBoundMakesTheSocketBehindAndItClosesWith4013()
    {
        var (socket, running, transport) = await StartHeldAsync();
        Assert.True(socket.Send("a"u8.ToArray()));
        Assert.True(socket.Send("b"u8.ToArray()));

        Assert.False(socket.SendQueueBehind(_options.SendQueueMaxDelay));
        _clock.Advance(_options.SendQueueMaxDelay);
        Assert.False(socket.SendQueueBehind(_options.SendQueueMaxDelay));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(socket.SendQueueBehind(_options.SendQueueMaxDelay));

        socket.CloseBehind();
        Assert.Equal(4013, socket.CloseCode);
        Assert.Equal("too_slow", socket.Ending(_clock.GetUtcNow()).Reason);
        Assert.False(socket.SendQueueBehind(_options.SendQueueMaxDelay));
        await EndAsync(socket, running, transport);
    }

    [Fact]
    public async Task AConsumerThatReadsItsQueueIsNeverBehindHoweverLongItRuns()
    {
        var (socket, running, transport) = await StartHeldAsync();
        Assert.True(socket.Send("a"u8.ToArray()));
        Assert.False(socket.SendQueueBehind(_options.SendQueueMaxDelay));
        _clock.Advance(_options.SendQueueMaxDelay / 2);

        transport.Open();
        await transport.UntilWrittenAsync(2);
        _clock.Advance(_options.SendQueueMaxDelay * 2);

        Assert.False(socket.SendQueueBehind(_options.SendQueueMaxDelay));
        Assert.True(socket.Send("b"u8.ToArray()));
        await transport.UntilWrittenAsync(3);
        Assert.False(socket.SendQueueBehind(_options.SendQueueMaxDelay));
        Assert.Null(socket.CloseCode);
        await EndAsync(socket, running, transport);
    }

    [Fact]
    public async Task FramesBeforeWelcomeFarPastFiveHundredTwelveAreKeptAndFollowWelcome()
    {
        var transport = new GatedWebSocket();
        transport.Open();
        var socket = NewSocket(transport);
        var running = socket.RunAsync(_ => ValueTask.CompletedTask, CancellationToken.None);
        const int early = 2_000;
        for (var i = 0; i < early; i++)
        {
            var frame = new byte[100];
            BitConverter.TryWriteBytes(frame, i);
            Assert.True(socket.Send(frame), $"early frame {i} was refused");
        }

        Assert.Empty(transport.Written);
        socket.Accept("welcome"u8.ToArray());
        await transport.UntilWrittenAsync(1 + early);
        Assert.Equal("welcome"u8.ToArray(), transport.Written[0]);
        Assert.Equal(Enumerable.Range(0, early), transport.Written.Skip(1).Select(w => BitConverter.ToInt32(w)));
        Assert.Null(socket.CloseCode);
        await EndAsync(socket, running, transport);
    }

    [Fact]
    public void FramesBeforeWelcomePastTheByteBoundCloseWith4013()
    {
        var socket = NewSocket(new GatedWebSocket());

        Assert.Equal(_options.SendQueueBytes / 1024, SendUntilRefused(socket, 1024, 10_000));
        Assert.Equal(4013, socket.CloseCode);
    }

    [Fact]
    public void FramesBeforeWelcomeKeepARoomForWelcomeWithinTheFrameBackstop()
    {
        var socket = NewSocket(new GatedWebSocket());

        Assert.Equal(_options.SendQueueCapacity - 1, SendUntilRefused(socket, 1, 100_000));
        Assert.Equal(4013, socket.CloseCode);
    }

    [Fact]
    public void OneLargeFrameBeforeWelcomeIsTakenAsAnEmptyQueueTakesIt()
    {
        var socket = NewSocket(new GatedWebSocket());

        Assert.True(socket.Send(new byte[_options.SendQueueBytes + 1]));
        Assert.Null(socket.CloseCode);
        Assert.False(socket.Send(new byte[1]));
        Assert.Equal(4013, socket.CloseCode);
    }

    public void Dispose() => _metrics.Dispose();

    /// <summary>
    /// A transport whose writes wait until it is opened (then every write completes at once) and record what they wrote,
    /// and whose reads wait for the abort.
    /// </summary>
    private sealed class GatedWebSocket : AbortableWebSocket
    {
        private readonly Lock _gate = new();
        private readonly List<byte[]> _written = [];
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _writeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WriteStarted => _writeStarted.Task;

        public IReadOnlyList<byte[]> Written
        {
            get
            {
                lock (_gate)
                {
                    return [.. _written];
                }
            }
        }

        public void Open() => _open.TrySetResult();

        public Task UntilWrittenAsync(int count) => Deadline.UntilAsync(() => Written.Count >= count, $"{count} frames are written");

        public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            _writeStarted.TrySetResult();
            if (!_open.Task.IsCompleted && await Task.WhenAny(_open.Task, Aborted) == Aborted)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
            }

            lock (_gate)
            {
                _written.Add(buffer.ToArray());
            }
        }
    }
}
