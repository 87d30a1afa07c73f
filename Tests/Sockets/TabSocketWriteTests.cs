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
    private sealed class HangingWebSocket : AbortableWebSocket
    {
        private readonly TaskCompletionSource _writeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _writeDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool CompleteWrites { get; init; }

        public bool WriteWasCancelable { get; private set; }

        public Task WriteStarted => _writeStarted.Task;

        public Task WriteDone => _writeDone.Task;

        public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            WriteWasCancelable |= cancellationToken.CanBeCanceled;
            _writeStarted.TrySetResult();
            if (!CompleteWrites)
            {
                await Aborted;
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
            }

            _writeDone.TrySetResult();
        }
    }
}
