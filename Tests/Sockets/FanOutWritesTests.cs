using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansTabs.Tabs;
using OrleansTabs.Tests.Infrastructure;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.AspNetCore.Protocol;
using OrleansTabs.AspNetCore.Transport;

namespace OrleansTabs.Tests.Sockets;

/// <summary>
/// A fan-out's frames to idle sockets are written by one work item after the fan-out instead of by waking each
/// socket's send loop: nothing is written while the fan-out runs, everything after it, in order, and a write that
/// cannot complete at once goes on in the socket's own send loop with the frames behind it.
/// </summary>
public sealed class FanOutWritesTests : IDisposable
{
    private readonly FrontEndMetrics _metrics = new(new LocalConnections());

    private async Task<(TabSocket Socket, Task Running, RecordingWebSocket Transport)> StartAsync(int capacity = 512)
    {
        var transport = new RecordingWebSocket();
        var options = new SocketOptions { SendQueueCapacity = capacity };
        var socket = new TabSocket(new TabAddress("session", "tab", "chat"), "instance", "user", options, TimeProvider.System, _metrics, NullLogger.Instance);
        socket.Attach(transport, stream: null);
        var running = socket.RunAsync(_ => ValueTask.CompletedTask, CancellationToken.None);
        socket.Accept(Encoding.UTF8.GetBytes("welcome"));
        await transport.UntilWrittenAsync(1);
        await ParkedAsync(socket);
        return (socket, running, transport);
    }

    private static Task ParkedAsync(TabSocket socket) =>
        Deadline.UntilAsync(() => Task.FromResult(socket.SendLoopParked), "the send loop is parked");

    private static ReadOnlyMemory<byte> Frame(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task FramesQueuedInAFanOutAreWrittenAfterItInOrderAndTheSendLoopParksAgain()
    {
        var (socket, running, transport) = await StartAsync();

        using (FanOutWrites.Begin())
        {
            Assert.True(socket.Send(Frame("a")));
            Assert.True(socket.Send(Frame("b")));

            // Claimed, not woken: the send loop writes nothing while the fan-out runs.
            Assert.False(socket.SendLoopParked);
            Assert.Equal(["welcome"], transport.Written);
        }

        await transport.UntilWrittenAsync(3);
        Assert.Equal(["welcome", "a", "b"], transport.Written);

        // The claim was given back: the loop is parked again and an ordinary send wakes it.
        await ParkedAsync(socket);
        Assert.True(socket.Send(Frame("c")));
        await transport.UntilWrittenAsync(4);
        Assert.Equal(["welcome", "a", "b", "c"], transport.Written);

        socket.Close(CloseReason.Normal);
        await running.WaitAsync(Deadline.Default);
    }

    [Fact]
    public async Task AWriteThatCannotCompleteAtOnceGoesOnInTheSendLoopWithTheFramesBehindIt()
    {
        var (socket, running, transport) = await StartAsync();
        transport.HoldWrites = true;

        using (FanOutWrites.Begin())
        {
            socket.Send(Frame("a"));
            socket.Send(Frame("b"));
        }

        await transport.HeldWriteStarted.WaitAsync(Deadline.Default);
        Assert.Equal(["welcome", "a"], transport.Written);
        Assert.True(socket.Send(Frame("c")));

        transport.HoldWrites = false;
        transport.ReleaseHeldWrite();
        await transport.UntilWrittenAsync(4);
        Assert.Equal(["welcome", "a", "b", "c"], transport.Written);

        socket.Close(CloseReason.Normal);
        await running.WaitAsync(Deadline.Default);
    }

    [Fact]
    public async Task ACloseDuringAFanOutStillWritesWhatWasQueuedThenTheClose()
    {
        var (socket, running, transport) = await StartAsync();

        using (FanOutWrites.Begin())
        {
            socket.Send(Frame("a"));
            socket.Close(CloseReason.Normal);
            Assert.False(socket.Send(Frame("after close")));
        }

        await running.WaitAsync(Deadline.Default);
        Assert.Equal(["welcome", "a"], transport.Written);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, transport.ClosedWith);
    }

    [Fact]
    public async Task AFanOutToMoreSocketsThanOneWorkItemWritesWritesEveryOne()
    {
        var started = await Task.WhenAll(Enumerable.Range(0, (2 * FanOutWrites.SocketsPerWorkItem) + 3).Select(_ => StartAsync()));

        using (FanOutWrites.Begin())
        {
            foreach (var (socket, _, _) in started)
            {
                Assert.True(socket.Send(Frame("a")));
            }
        }

        foreach (var (socket, running, transport) in started)
        {
            await transport.UntilWrittenAsync(2);
            Assert.Equal(["welcome", "a"], transport.Written);
            socket.Close(CloseReason.Normal);
            await running.WaitAsync(Deadline.Default);
        }
    }

    [Fact]
    public async Task ConcurrentFanOutsAndSendsLoseNothingAndKeepEachSourcesOrder()
    {
        const int sources = 4, perSource = 1_000, batch = 5;
        var (socket, running, transport) = await StartAsync(capacity: sources * perSource + 1);

        await Task.WhenAll(Enumerable.Range(0, sources).Select(source => Task.Run(() =>
        {
            for (var i = 0; i < perSource; i += batch)
            {
                // Even sources fan out in batches; odd ones send one frame at a time outside any fan-out.
                using var scope = source % 2 == 0 ? FanOutWrites.Begin() : null;
                for (var j = i; j < i + batch; j++)
                {
                    Assert.True(socket.Send(Frame($"{source}:{j}")));
                }
            }
        })));

        await transport.UntilWrittenAsync(1 + (sources * perSource));
        var written = transport.Written.Skip(1).Select(w => w.Split(':')).ToList();
        Assert.Equal(sources * perSource, written.Count);
        foreach (var group in written.GroupBy(w => w[0]))
        {
            Assert.Equal(Enumerable.Range(0, perSource), group.Select(w => int.Parse(w[1], System.Globalization.CultureInfo.InvariantCulture)));
        }

        socket.Close(CloseReason.Normal);
        await running.WaitAsync(Deadline.Default);
    }

    public void Dispose() => _metrics.Dispose();

    /// <summary>A transport that records each text message written, can hold a write pending, and ends its reads when closed.</summary>
    private sealed class RecordingWebSocket : WebSocket
    {
        private readonly Lock _gate = new();
        private readonly List<string> _written = [];
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _heldWriteStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _heldWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private WebSocketState _state = WebSocketState.Open;

        /// <summary>While set, each write is recorded and then stays pending until <see cref="ReleaseHeldWrite"/>.</summary>
        public volatile bool HoldWrites;

        public Task HeldWriteStarted => _heldWriteStarted.Task;

        public WebSocketCloseStatus? ClosedWith { get; private set; }

        public IReadOnlyList<string> Written
        {
            get
            {
                lock (_gate)
                {
                    return [.. _written];
                }
            }
        }

        public void ReleaseHeldWrite() => _heldWrite.TrySetResult();

        public async Task UntilWrittenAsync(int count)
        {
            using var timeout = new CancellationTokenSource(Deadline.Default);
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    if (_written.Count >= count)
                    {
                        return;
                    }

                    changed = _changed.Task;
                }

                await changed.WaitAsync(timeout.Token);
            }
        }

        public override WebSocketCloseStatus? CloseStatus => ClosedWith;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => _state;

        public override string? SubProtocol => null;

        public override void Abort()
        {
            _state = WebSocketState.Aborted;
            _closed.TrySetResult();
            _heldWrite.TrySetResult();
        }

        public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            TaskCompletionSource changed;
            lock (_gate)
            {
                _written.Add(Encoding.UTF8.GetString(buffer.Span));
                changed = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
            if (!HoldWrites)
            {
                return ValueTask.CompletedTask;
            }

            _heldWriteStarted.TrySetResult();
            return new ValueTask(_heldWrite.Task);
        }

        public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            await _closed.Task.WaitAsync(cancellationToken);
            return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, endOfMessage: true);
        }

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        {
            ClosedWith = closeStatus;
            _state = WebSocketState.Closed;
            _closed.TrySetResult();
            return Task.CompletedTask;
        }

        public override void Dispose()
        {
        }
    }
}
