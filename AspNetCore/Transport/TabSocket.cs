using System.Buffers;
using System.Net.WebSockets;
using OrleansTabs.Tabs;

namespace OrleansTabs.AspNetCore.Transport;

/// <summary>
/// One tab's WebSocket on this front-end: one receive loop, one send loop that is the socket's only writer, fed by a
/// bounded queue. Overflow closes the socket with 4013 rather than buffering without end. When either loop ends the
/// other gets <see cref="SocketOptions.CloseTimeout"/> to finish, then the socket is aborted.
/// </summary>
internal sealed partial class TabSocket : IStreamSink
{
    private WebSocket _socket = null!;
    private CoalescingStream? _stream;
    private readonly SocketOptions _options;
    private readonly TimeProvider _clock;
    private readonly FrontEndMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string? _name;
    private readonly OutboundQueue _outbound;
    private readonly Lock _gate = new();
    private List<ReadOnlyMemory<byte>>? _beforeWelcome = [];
    private long _beforeWelcomeBytes;
    private long _lastActivity;
    private long _writeSince;
    private int _closeRequested;
    private CloseReason _close = CloseReason.Normal;
    private volatile bool _dropPending;
    private int _queued;
    private TaskCompletionSource<bool>? _replayRoom;
    private bool _accepted;
    private readonly TaskCompletionSource _closeRequestedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TabSocket(TabAddress address, string instance, string user, SocketOptions options, TimeProvider clock, FrontEndMetrics metrics, ILogger logger)
    {
        Address = address;
        Instance = instance;
        User = user;
        _options = options;
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
        _lastActivity = clock.GetTimestamp();
        _outbound = new OutboundQueue(options.SendQueueCapacity, options.SendQueueBytes);
    }

    /// <summary>This socket's id on this front-end (unique across the cluster).</summary>
    public string ConnectionId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The tab this socket belongs to.</summary>
    public TabAddress Address { get; }

    /// <summary>The page load (instance id) that opened the socket.</summary>
    public string Instance { get; }

    /// <summary>The signed-in user.</summary>
    public string User { get; }

    /// <summary>The signed-in user's display name (the user itself when the sign-in gave none).</summary>
    public string Name
    {
        get => _name ?? User;
        init => _name = value == User ? null : value;
    }

    /// <summary>The per-stream delivery cursors of this socket (set once the protocol starts).</summary>
    public StreamCursors? Streams { get; set; }

    /// <summary>Whether the tab grain accepted the socket and <c>welcome</c> was queued.</summary>
    public bool Accepted => Volatile.Read(ref _accepted);

    /// <summary>Whether the peer ended the socket with a normal close (1000/1001): the page went away on purpose.</summary>
    public bool ClosedByPeerCleanly { get; private set; }

    /// <summary>The close code this side sent or will send, once a close was requested.</summary>
    public int? CloseCode => Volatile.Read(ref _closeRequested) == 1 ? _close.Code : null;

    /// <summary>Completes as soon as either side asked to close, before the close handshake has finished.</summary>
    public Task CloseRequested => _closeRequestedSignal.Task;

    /// <summary>The bytes this socket's send queue holds now.</summary>
    internal long QueuedBytes => _outbound.Bytes;

    /// <summary>The frames ever queued on this socket's send queue.</summary>
    internal long FramesQueued => _outbound.QueuedTotal;

    /// <summary>The most bytes this socket's send queue ever held at once.</summary>
    internal long MostQueuedBytes => _outbound.MostBytes;

    /// <summary>Whether the send loop is parked: nothing queued, no write in progress, no claim held.</summary>
    internal bool SendLoopParked => _outbound.ReaderParked;

    /// <summary>Time since the last frame from the client.</summary>
    public TimeSpan Idle => _clock.GetElapsedTime(Interlocked.Read(ref _lastActivity));

    /// <summary>
    /// Whether a frame write has been pending for longer than <paramref name="limit"/>: the peer stopped reading and
    /// the connection's buffers are full. The front-end's sweep aborts such a socket (<see cref="AbortStalledWrite"/>).
    /// </summary>
    public bool WriteStalled(TimeSpan limit) => Volatile.Read(ref _writeSince) is var since and not 0 && _clock.GetElapsedTime(since) > limit;

    /// <summary>
    /// Whether the oldest frame in the send queue has waited longer than <paramref name="limit"/>: the consumer reads,
    /// but slower than its frames come. Called by the front-end's sweep on each of its ticks (each call samples the
    /// queue, see <see cref="OutboundQueue.QueuedSince"/>), which closes such a socket with 4013 (<see cref="CloseBehind"/>).
    /// </summary>
    public bool SendQueueBehind(TimeSpan limit)
    {
        if (Volatile.Read(ref _closeRequested) != 0)
        {
            // Closing already: what is left in the queue is dropped or flushed, and judged no more.
            return false;
        }

        var now = _clock.GetTimestamp();
        return _clock.GetElapsedTime(_outbound.QueuedSince(now), now) > limit;
    }

    /// <summary>Closes a socket whose send queue fell behind with 4013, as an overflow does.</summary>
    public void CloseBehind()
    {
        LogSendQueueBehind(_logger, ConnectionId);
        Overflow();
    }

    /// <summary>Aborts a socket whose write stalled: the pending write fails and both loops end, as for a vanished peer.</summary>
    public void AbortStalledWrite()
    {
        LogWriteStalled(_logger, ConnectionId);
        _socket?.Abort();
    }

    /// <summary>
    /// The socket's WebSocket-level keep-alive, run by the front-end's sweep: a ping when nothing has arrived for
    /// <paramref name="interval"/>, and an abort when a ping has had no answer (no bytes at all) for <paramref name="timeout"/>.
    /// Without the coalescing stream the WebSocket keeps itself alive.
    /// </summary>
    public void KeepAlive(TimeSpan interval, TimeSpan timeout)
    {
        if (_stream is not { } stream || interval <= TimeSpan.Zero || Volatile.Read(ref _closeRequested) == 1)
        {
            return;
        }

        if (stream.SincePing is { } waited)
        {
            if (waited >= timeout)
            {
                LogKeepAliveTimedOut(_logger, ConnectionId, waited.TotalSeconds);
                _socket?.Abort();
            }
        }
        else if (stream.SinceLastRead >= interval)
        {
            stream.TryPing();
        }
    }

    /// <summary>
    /// Binds the upgraded WebSocket (and the stream under it, to batch writes). The socket is registered with its tab
    /// grain before the upgrade; frames that arrive meanwhile wait for <see cref="Accept"/>.
    /// </summary>
    public void Attach(WebSocket socket, CoalescingStream? stream)
    {
        _socket = socket;
        _stream = stream;
    }

    /// <summary>
    /// Queues <c>welcome</c> as the first frame and releases any frame that arrived for the socket before it.
    /// </summary>
    public void Accept(ReadOnlyMemory<byte> welcome)
    {
        // Under the gate, and Accepted last: a concurrent Send either joins the early frames or comes after them.
        lock (_gate)
        {
            Enqueue(welcome);
            foreach (var frame in _beforeWelcome ?? [])
            {
                Enqueue(frame);
            }

            _beforeWelcome = null;
            Volatile.Write(ref _accepted, true);
        }
    }

    /// <summary>Queues a frame. Returns false if the socket is closing or its queue overflowed (and it is now closing with 4013).</summary>
    public bool Send(ReadOnlyMemory<byte> frame)
    {
        if (!Volatile.Read(ref _accepted))
        {
            lock (_gate)
            {
                if (_beforeWelcome is { } early)
                {
                    // Bounded as the queue these frames go into behind welcome: a frame's room is kept for welcome, and
                    // the bytes are bounded alike (an empty list takes one frame of any size). Welcome's own bytes are
                    // not known yet: an early backlog that overflows the queue with them closes at Accept, as any would.
                    if (early.Count + 2 > _options.SendQueueCapacity || (early.Count > 0 && _beforeWelcomeBytes + frame.Length > _options.SendQueueBytes))
                    {
                        return Overflow();
                    }

                    early.Add(frame);
                    _beforeWelcomeBytes += frame.Length;
                    return true;
                }
            }
        }

        return Enqueue(frame);
    }

    /// <summary>Queues a <c>reset</c> frame and counts it by reason.</summary>
    public bool SendReset(string stream, string reason)
    {
        _metrics.StreamReset(reason);
        return Send(StreamFrames.Reset(stream, reason));
    }

    /// <summary>Requests a close with a docs/protocol.md code; frames already queued are still sent unless <paramref name="dropPending"/>.</summary>
    public void Close(CloseReason close, bool dropPending = false)
    {
        if (Interlocked.CompareExchange(ref _closeRequested, 1, 0) != 0)
        {
            return;
        }

        _metrics.SocketClosed(close.Code);
        _close = close;
        _dropPending = dropPending;
        _outbound.Complete();
        _closeRequestedSignal.TrySetResult();
        lock (_gate)
        {
            SignalReplayRoom(false);
        }

        LogClosing(_logger, ConnectionId, close.Code, close.Json);
    }

    /// <summary>
    /// How the socket ended, for the tab's audit (docs/protocol.md section 6.5): the code and reason this side closed with, else
    /// the code of the page's own close (<c>client</c>), else 1006 <c>lost</c> (it vanished without a close).
    /// </summary>
    public TabClose Ending(DateTimeOffset at)
    {
        if (Volatile.Read(ref _closeRequested) == 1 && _close.Name.Length > 0)
        {
            return TabClose.Of(_close, at);
        }

        return _socket?.CloseStatus is { } status ? new TabClose((int)status, "client", at) : TabClose.Lost(at);
    }

    /// <summary>Records client activity for the heartbeat.</summary>
    public void MarkActivity() => Interlocked.Exchange(ref _lastActivity, _clock.GetTimestamp());

    /// <summary>Runs both loops until the socket is closed; each complete text frame is passed to <paramref name="onText"/>.</summary>
    public async Task RunAsync(Func<ReadOnlyMemory<byte>, ValueTask> onText, CancellationToken cancellationToken)
    {
        // No token reaches the loops (a linked source and a registration per pending read and wait, for every idle
        // socket): the send loop ends when the queue completes, the receive loop when the socket is aborted or closed.
        using var aborted = cancellationToken.UnsafeRegister(static s => ((WebSocket)s!).Abort(), _socket);
        var sending = SendLoopAsync();
        var receiving = ReceiveLoopAsync(onText);
        var first = await Task.WhenAny(sending, receiving);
        if (first == receiving)
        {
            // The peer closed (or the socket failed): answer its close, flushing nothing more.
            Close(_socket.CloseStatus is { } status ? CloseReason.Echo((int)status) : CloseReason.Normal, dropPending: true);
        }

        var other = first == receiving ? sending : receiving;

        if (await Task.WhenAny(other, Task.Delay(_options.CloseTimeout, _clock, CancellationToken.None)) != other)
        {
            _socket.Abort();
        }

        await Task.WhenAll(sending, receiving);
    }

    private bool Enqueue(ReadOnlyMemory<byte> frame)
    {
        var scope = FanOutWrites.Current;
        switch (_outbound.TryWrite(frame, mayClaim: scope is not null))
        {
            case QueueWrite.Refused:
                return Overflow();
            case QueueWrite.Claimed:
                scope!.Claimed(this);
                break;
        }

        Interlocked.Increment(ref _queued);
        return true;
    }

    /// <summary>
    /// Writes the frames queued while a <see cref="FanOutWrites"/> scope held this socket's queue, on the calling
    /// thread, as the send loop would: in order, coalesced into one flush. A write that does not complete at once
    /// (the connection's buffer is full, or it failed) goes to the send loop with the rest of the queue. Never throws.
    /// </summary>
    internal void WriteClaimed()
    {
        var written = 0;
        try
        {
            while (true)
            {
                while (!_dropPending && _outbound.TryRead(out var frame, out var more))
                {
                    var write = StartWrite(frame, more);
                    if (!write.IsCompletedSuccessfully)
                    {
                        _outbound.HandOff(write);
                        return;
                    }

                    write.GetAwaiter().GetResult();
                    Written();
                    written++;
                }

                if (_outbound.TryReleaseClaim(stop: _dropPending))
                {
                    return;
                }
            }
        }
        finally
        {
            _metrics.FramesWritten(written);
        }
    }

    /// <summary>
    /// Completes once the send queue is at most half full, in frames and in bytes (true), or the socket is closing (false). Replays and gap
    /// repairs wait here before each frame, so they never fill the queue: the other half stays for live frames, and
    /// only a consumer that stops reading overflows it (4013).
    /// </summary>
    public ValueTask<bool> WaitForReplayRoomAsync()
    {
        if (Volatile.Read(ref _closeRequested) != 0)
        {
            return ValueTask.FromResult(false);
        }

        if (HasReplayRoom())
        {
            return ValueTask.FromResult(true);
        }

        lock (_gate)
        {
            _replayRoom ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiter = _replayRoom.Task;

            // Checked again under the gate: the send loop may have drained the queue meanwhile.
            if (HasReplayRoom() || Volatile.Read(ref _closeRequested) != 0)
            {
                SignalReplayRoom(Volatile.Read(ref _closeRequested) == 0);
            }

            return new ValueTask<bool>(waiter);
        }
    }

    /// <summary>At most half the queue's frames and half its bytes are taken.</summary>
    private bool HasReplayRoom() => Volatile.Read(ref _queued) <= _options.SendQueueCapacity / 2 && _outbound.Bytes <= _options.SendQueueBytes / 2;

    private void SignalReplayRoom(bool open)
    {
        // Called under the gate.
        _replayRoom?.TrySetResult(open);
        _replayRoom = null;
    }

    /// <summary>The send loop took a frame off the queue: a waiting replay may go on once the queue is half empty.</summary>
    private void Dequeued()
    {
        if (Interlocked.Decrement(ref _queued) <= _options.SendQueueCapacity / 2 && Volatile.Read(ref _replayRoom) is not null && HasReplayRoom())
        {
            lock (_gate)
            {
                SignalReplayRoom(true);
            }
        }
    }

    private bool Overflow()
    {
        if (Volatile.Read(ref _closeRequested) == 0)
        {
            Close(CloseReason.TooSlow, dropPending: true);
        }

        return false;
    }

    /// <summary>
    /// The socket's writer (besides a fan-out's work item holding a claim, see <see cref="WriteClaimed"/>; never both at
    /// once). Frames queued together go out together: every frame with another one behind it is coalesced into the
    /// connection's buffer, and the last one of the run flushes them all in one write.
    /// Writes queued frames. A write passes no cancellation token: ManagedWebSocket then writes on its fast path
    /// (no registration, no async state machine when the transport takes the frame at once), and a write that hangs
    /// is aborted by the front-end's sweep (<see cref="WriteStalled"/>) instead of by a timer reset per frame.
    /// </summary>
    private async Task SendLoopAsync()
    {
        var queue = _outbound;
        try
        {
            while (!_dropPending && await queue.WaitToReadAsync())
            {
                var written = 0;
                if (queue.TakeHandOff() is { } handedOff)
                {
                    // A write begun by a fan-out's work item that could not complete at once: it is this loop's now.
                    await handedOff;
                    Written();
                    written++;
                }

                while (!_dropPending && queue.TryRead(out var frame, out var more))
                {
                    await StartWrite(frame, more);
                    Written();
                    written++;
                }

                _metrics.FramesWritten(written);
            }

            if (queue.TakeHandOff() is { } last)
            {
                // Handed over as the socket began to close: it completes (or fails) before the close frame.
                await last;
            }

            if (_stream is not null)
            {
                _stream.Coalescing = false;
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closing = new CancellationTokenSource(_options.CloseTimeout, _clock);
                await _socket.CloseOutputAsync((WebSocketCloseStatus)_close.Code, _close.Json, closing.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            // A peer that vanished mid-write, or an abort: a normal ending for a socket.
        }
        finally
        {
            _outbound.Complete();
        }
    }

    /// <summary>
    /// Starts writing a frame just taken off the queue (by the send loop or a fan-out's claim), coalesced with the next
    /// one if <paramref name="more"/>, and times it for <see cref="WriteStalled"/> until <see cref="Written"/>. A
    /// failure is returned as a faulted write, never thrown.
    /// </summary>
    private ValueTask StartWrite(ReadOnlyMemory<byte> frame, bool more)
    {
        Dequeued();
        if (_stream is not null)
        {
            _stream.Coalescing = more;
        }

        Volatile.Write(ref _writeSince, _clock.GetTimestamp());
        try
        {
            return Write(frame);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    /// <summary>The write started last completed: the socket is no longer waiting on its peer.</summary>
    private void Written() => Volatile.Write(ref _writeSince, 0);

    /// <summary>
    /// Writes one text message: over the coalescing stream as a frame it builds itself (the WebSocket's frames share its
    /// write gate), else through the WebSocket. No cancellation token: see <see cref="SendLoopAsync"/>.
    /// </summary>
    private ValueTask Write(ReadOnlyMemory<byte> frame)
    {
        if (_stream is not { } stream)
        {
            return _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }

        ValueTask write;
        try
        {
            write = stream.WriteTextAsync(frame);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ValueTask.FromException(ConnectionFailed(ex));
        }

        return write.IsCompletedSuccessfully ? write : WriteFailedAsConnectionAsync(write);
    }

    /// <summary>A failed write on the connection surfaces as the WebSocket's own writes do: a <see cref="WebSocketException"/>.</summary>
    private static async ValueTask WriteFailedAsConnectionAsync(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw ConnectionFailed(ex);
        }
    }

    private static WebSocketException ConnectionFailed(Exception ex) => new(WebSocketError.ConnectionClosedPrematurely, ex);

    private async Task ReceiveLoopAsync(Func<ReadOnlyMemory<byte>, ValueTask> onText)
    {
        try
        {
            while (true)
            {
                // A zero-byte read first: an idle socket holds no buffer.
                var peek = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (peek.MessageType == WebSocketMessageType.Close)
                {
                    ClosedByPeerCleanly = _socket.CloseStatus is WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable;
                    return;
                }

                if (peek.EndOfMessage)
                {
                    // An empty message: the zero-byte read consumed it whole.
                    if (!await HandleMessageAsync(peek.MessageType, ReadOnlyMemory<byte>.Empty, onText))
                    {
                        break;
                    }

                    continue;
                }

                if (!await ReceiveMessageAsync(peek.MessageType, onText))
                {
                    break;
                }
            }

            await DrainUntilPeerClosesAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Premature close and cancellation are normal endings.
        }
    }

    /// <summary>
    /// This side closed while the peer may still be sending: reads on, discarding, until the peer's close frame (or
    /// the close timeout's abort). A connection ended with the peer's frames unread ends in a reset, and a reset can
    /// cost the peer the close frame already sent, and with it the close code (RFC 6455 section 7.1.1).
    /// </summary>
    private async Task DrainUntilPeerClosesAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseSent))
        {
            // The peer's close was read: the handshake is complete on its side.
            return;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(scratch.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Reads one whole message; false when the socket must stop reading.</summary>
    private async Task<bool> ReceiveMessageAsync(WebSocketMessageType type, Func<ReadOnlyMemory<byte>, ValueTask> onText)
    {
        var limit = _options.MaxFrameBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 16 * 1024));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return false;
                }

                length += result.Count;
                if (length > limit)
                {
                    Close(CloseReason.TooLarge, dropPending: true);
                    return false;
                }

                if (result.EndOfMessage)
                {
                    break;
                }
            }

            return await HandleMessageAsync(type, buffer.AsMemory(0, length), onText);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<bool> HandleMessageAsync(WebSocketMessageType type, ReadOnlyMemory<byte> message, Func<ReadOnlyMemory<byte>, ValueTask> onText)
    {
        MarkActivity();
        _metrics.FrameIn();
        if (type == WebSocketMessageType.Binary)
        {
            Close(CloseReason.BinaryFrame, dropPending: true);
            return false;
        }

        await onText(message);
        return Volatile.Read(ref _closeRequested) == 0;
    }
}
