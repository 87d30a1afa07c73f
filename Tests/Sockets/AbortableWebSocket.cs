using System.Net.WebSockets;

namespace OrleansTabs.Tests.Sockets;

/// <summary>
/// What the socket tests' transports share: open until aborted, reads that wait for the abort and then fail as a
/// dropped connection does, closes that complete at once. A transport says only how it writes.
/// </summary>
internal abstract class AbortableWebSocket : WebSocket
{
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocketState _state = WebSocketState.Open;

    /// <summary>Completes once the transport is aborted.</summary>
    protected Task Aborted => _aborted.Task;

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    public override void Abort()
    {
        _state = WebSocketState.Aborted;
        _aborted.TrySetResult();
    }

    public abstract override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken);

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

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        if (_state == WebSocketState.Open)
        {
            _state = WebSocketState.CloseSent;
        }

        return Task.CompletedTask;
    }

    public override void Dispose()
    {
    }
}
