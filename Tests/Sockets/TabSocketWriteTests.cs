using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansTabs.Tabs;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.AspNetCore.Protocol;
using OrleansTabs.AspNetCore.Transport;

namespace OrleansTabs.Tests.Sockets;

/// <summary>
/// A socket's writes, without Kestrel: a write passes no cancellation token (so ManagedWebSocket writes on its fast
/// path), and a write that hangs is found by its age and aborted, which ends the socket as a vanished peer would.
/// </summary>
public sealed class TabSocketWriteTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new();
    private readonly SocketOptions _options = new();
    private readonly FrontEndMetrics _metrics = new(new LocalConnections());

    private (TabSocket Socket, Task Running) Start(WebSocket transport)
    {
        var socket = new TabSocket(new TabAddress("session", "tab", "chat"), "instance", "user", _options, _clock, _metrics, NullLogger.Instance);
        socket.Attach(transport, stream: null);
        return (socket, socket.RunAsync(_ => ValueTask.CompletedTask, CancellationToken.None));
    }

    [Fact]
    public async Task AWriteHangingPastTheWriteTimeoutIsStalledAndItsAbortEndsTheSocket()
    {
        var transport = new HangingWebSocket();
        var (socket, running) = Start(transport);

        socket.Accept("""{"type":"welcome"}"""u8.ToArray());
        await transport.WriteStarted.WaitAsync(Deadline);

        Assert.False(transport.WriteWasCancelable);
        Assert.False(socket.WriteStalled(_options.WriteTimeout));
        _clock.Advance(_options.WriteTimeout);
        Assert.False(socket.WriteStalled(_options.WriteTimeout));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(socket.WriteStalled(_options.WriteTimeout));

        socket.AbortStalledWrite();
        await running.WaitAsync(Deadline);
        Assert.Equal(WebSocketState.Aborted, transport.State);
    }

    [Fact]
    public async Task AWriteThatCompletedIsNeverStalled()
    {
        var transport = new HangingWebSocket { CompleteWrites = true };
        var (socket, running) = Start(transport);

        socket.Accept("""{"type":"welcome"}"""u8.ToArray());
        await transport.WriteStarted.WaitAsync(Deadline);
        await transport.WriteDone.WaitAsync(Deadline);
        _clock.Advance(_options.WriteTimeout * 2);

        Assert.False(socket.WriteStalled(_options.WriteTimeout));
        transport.Abort();
        await running.WaitAsync(Deadline);
    }

    public void Dispose() => _metrics.Dispose();

    /// <summary>A transport whose writes never complete (unless told to) until it is aborted, and whose reads wait for the abort.</summary>
    private sealed class HangingWebSocket : WebSocket
    {
        private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _writeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _writeDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private WebSocketState _state = WebSocketState.Open;

        public bool CompleteWrites { get; init; }

        public bool WriteWasCancelable { get; private set; }

        public Task WriteStarted => _writeStarted.Task;

        public Task WriteDone => _writeDone.Task;

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => _state;

        public override string? SubProtocol => null;

        public override void Abort()
        {
            _state = WebSocketState.Aborted;
            _aborted.TrySetResult();
        }

        public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            WriteWasCancelable |= cancellationToken.CanBeCanceled;
            _writeStarted.TrySetResult();
            if (!CompleteWrites)
            {
                await _aborted.Task;
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
            }

            _writeDone.TrySetResult();
        }

        public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            await _aborted.Task.WaitAsync(cancellationToken);
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Dispose()
        {
        }
    }
}
