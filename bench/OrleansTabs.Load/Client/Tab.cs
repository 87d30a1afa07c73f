using System.Diagnostics;

namespace OrleansTabs.Load.Client;

/// <summary>
/// One simulated browser tab: its identity (tab id kept across reconnects, a fresh instance id per connect), its
/// session, its room, and the current connection. Frames are read by the wire and reported to the workload's sink.
/// </summary>
internal sealed class Tab(IWire wire, TabSession session, string room, int index, TabSink sink)
{
    private RawWebSocket? _socket;
    private TaskCompletionSource _welcome = Completed();
    private TaskCompletionSource _joined = Completed();
    private TaskCompletionSource _resumed = Completed();
    private TaskCompletionSource<int> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IWire Wire { get; } = wire;

    public TabSession Session { get; } = session;

    public string Room { get; } = room;

    public string Stream => "room:" + Room;

    public int Index { get; } = index;

    public string TabId { get; private set; } = NewId();

    public string InstanceId { get; private set; } = NewId();

    /// <summary>Whether the current connection got its welcome (or SignalR handshake response).</summary>
    public bool Welcomed => _welcome.Task.IsCompleted;

    /// <summary>The room stream's epoch, from <c>joined</c>.</summary>
    public string Epoch { get; private set; } = "";

    /// <summary>The last room offset received (the position a resume names).</summary>
    public long LastOffset { get; private set; }

    /// <summary>Whether the current connection is open and joined or resumed.</summary>
    public bool Ready { get; private set; }

    /// <summary>Completes with the close code when the current connection ends.</summary>
    public Task<int> Closed => _closed.Task;

    /// <summary>The receive loop of the current connection (it never faults: failures are reported to the sink).</summary>
    public Task Receiving { get; private set; } = Task.CompletedTask;

    /// <summary>The close code of the last connection once it ended, 0 while it is open.</summary>
    public int CloseCode { get; private set; }

    /// <summary>Stopwatch ticks of the last close.</summary>
    public long ClosedAt { get; private set; }

    /// <summary>Stopwatch ticks of the last <c>resumed</c>.</summary>
    public long ResumedAt { get; private set; }

    /// <summary>Counts the connections of this tab (a sender resends its unacked messages on a new one).</summary>
    public int Generation { get; private set; }

    /// <summary>
    /// Connects with the session's cookie and waits for the welcome. A reconnect of the same page keeps its instance
    /// id (docs/protocol.md section 2: minted per page load); <paramref name="freshInstance"/> mints a new one, as a reload does.
    /// </summary>
    public async Task ConnectAsync(Uri server, CancellationToken cancellation, bool freshInstance = false)
    {
        Ready = false;
        CloseCode = 0;
        Generation++;
        if (freshInstance)
        {
            InstanceId = NewId();
        }

        _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var socket = await RawWebSocket.ConnectAsync(Wire.SocketUri(server, TabId, InstanceId), Session.Cookie, cancellation);
        _socket = socket;
        Receiving = ReceiveAsync(socket, _closed);
        if (Wire.Handshake is { } handshake)
        {
            await socket.SendTextAsync(handshake, cancellation);
        }

        await WaitOrClosedAsync(_welcome.Task, "welcome", cancellation);
    }

    /// <summary>Joins the tab's room and waits for <c>joined</c>.</summary>
    public async Task JoinAsync(CancellationToken cancellation)
    {
        _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await SendAsync(Wire.Join(Room), cancellation);
        await WaitOrClosedAsync(_joined.Task, "joined", cancellation);
        Ready = true;
    }

    /// <summary>
    /// Sends <c>resume</c> for the room stream from the last offset seen and waits for <c>resumed</c>; on a protocol
    /// without resume (SignalR) joins the room again, and what was sent meanwhile is not replayed.
    /// </summary>
    public async Task ResumeAsync(CancellationToken cancellation)
    {
        if (!Wire.Resumes)
        {
            await JoinAsync(cancellation);
            ResumedAt = Stopwatch.GetTimestamp();
            return;
        }

        _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await SendAsync(Wire.Resume(Stream, Epoch, LastOffset), cancellation);
        await _resumed.Task.WaitAsync(cancellation);
        ResumedAt = Stopwatch.GetTimestamp();
        Ready = true;
    }

    /// <summary>Sends one frame on the current connection.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellation) =>
        _socket is { } socket ? socket.SendTextAsync(frame, cancellation) : throw new InvalidOperationException("Not connected.");

    /// <summary>
    /// Sends a heartbeat if connected and joined or resumed (never before a <c>resume</c>, which must be the first frame);
    /// failures are left to the receive loop to notice.
    /// </summary>
    public async Task PingAsync(CancellationToken cancellation)
    {
        if (_socket is { } socket && Ready && !_closed.Task.IsCompleted)
        {
            try
            {
                await socket.SendTextAsync(Wire.Ping, cancellation);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>
    /// Becomes a new tab (fresh tab and instance ids), as a user opening another tab would: after a connect that failed
    /// half-way, the server may still register the old attempt later and supersede a retry of the same instance (4509).
    /// </summary>
    public void Renew()
    {
        Abort();
        TabId = NewId();
        InstanceId = NewId();
        LastOffset = 0;
        Epoch = "";
    }

    /// <summary>Ends the current connection at once (no close handshake).</summary>
    public void Abort()
    {
        Ready = false;
        _socket?.Dispose();
    }

    internal void OnWelcome() => _welcome.TrySetResult();

    internal void OnJoined(string epoch, long offset)
    {
        Epoch = epoch;
        LastOffset = Math.Max(LastOffset, offset);
        _joined.TrySetResult();
    }

    internal void OnResumed() => _resumed.TrySetResult();

    internal void OnMessage(long offset, ReadOnlySpan<byte> text)
    {
        if (offset > LastOffset)
        {
            LastOffset = offset;
        }

        sink.OnMessage(this, offset, text);
    }

    internal void OnAck(long seq, long offset) => sink.OnAck(this, seq, offset);

    internal void OnReset() => sink.OnReset(this);

    internal void OnError(ReadOnlySpan<byte> frame) => sink.OnError(this, frame);

    internal void OnHistory(ReadOnlySpan<byte> frame) => sink.OnHistory(this, frame);

    private async Task ReceiveAsync(RawWebSocket socket, TaskCompletionSource<int> closed)
    {
        try
        {
            // The close time is taken when the close frame arrives, before the reply to it is sent.
            await socket.ReceiveAsync(m => Wire.Dispatch(this, m), () => ClosedAt = Stopwatch.GetTimestamp());
        }
        catch (Exception ex)
        {
            sink.OnError(this, System.Text.Encoding.UTF8.GetBytes("receive failed: " + ex.Message));
        }

        if (socket.CloseCode == 1006)
        {
            ClosedAt = Stopwatch.GetTimestamp();
        }

        if (socket == _socket)
        {
            // Only the current connection's end changes the tab (an aborted earlier attempt may end later).
            Ready = false;
            CloseCode = socket.CloseCode;
        }

        sink.OnClosed(this, socket.CloseCode);
        closed.TrySetResult(socket.CloseCode);
    }

    /// <summary>Waits for <paramref name="frame"/>; a connection that ends first fails at once with its close code.</summary>
    private async Task WaitOrClosedAsync(Task frame, string name, CancellationToken cancellation)
    {
        var closed = _closed.Task;
        if (await Task.WhenAny(frame, closed).WaitAsync(cancellation) != frame)
        {
            throw new ClosedBeforeException(name, await closed);
        }
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}

/// <summary>The connection ended before the frame a connect or join waits for.</summary>
internal sealed class ClosedBeforeException(string frame, int code) : Exception($"closed with {code} before the {frame}")
{
    public int Code { get; } = code;
}
