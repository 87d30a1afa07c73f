using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>
/// A tab's WebSocket as a test drives it: a real <see cref="ClientWebSocket"/> on Kestrel, with a background reader
/// that queues every frame, so tests wait for frames and the close with deadlines.
/// </summary>
public sealed class TabClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource<(int Code, string Reason)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;
    private readonly Queue<JsonElement> _skippedMessages = new();
    private volatile TaskCompletionSource? _paused;

    private TabClient(ClientWebSocket socket, string tab, string instance)
    {
        _socket = socket;
        Tab = tab;
        Instance = instance;
        _reader = ReadAsync();
    }

    public string Tab { get; }

    /// <summary>
    /// Stops reading after the frame being read (a consumer that stopped reading: the server's writes back up into its
    /// send queue), until <see cref="ResumeReading"/>.
    /// </summary>
    public void PauseReading() => _paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Reads on after <see cref="PauseReading"/>.</summary>
    public void ResumeReading() => Interlocked.Exchange(ref _paused, null)?.TrySetResult();

    public string Instance { get; }

    /// <summary>Completes when the server closed the socket: its close code and reason.</summary>
    public Task<(int Code, string Reason)> Closed => _closed.Task;

    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Opens <c>/ws/{channel}</c> for a tab with the session's cookies.</summary>
    public static async Task<TabClient> ConnectAsync(Uri server, CookieContainer cookies, string channel, string? tab = null, string? instance = null, string? origin = null, string? accessToken = null)
    {
        tab ??= NewId();
        instance ??= NewId();
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = new CancellationTokenSource(Deadline.Default);
        await socket.ConnectAsync(SocketUri(server, channel, tab, instance, accessToken), timeout.Token);
        return new TabClient(socket, tab, instance);
    }

    /// <summary>The upgrade URL of a tab on <c>/ws/{channel}</c> (docs/protocol.md section 2).</summary>
    public static Uri SocketUri(Uri server, string channel, string tab, string instance, string? accessToken = null) =>
        new UriBuilder(server) { Scheme = "ws", Path = $"/ws/{channel}", Query = $"tab={tab}&instance={instance}&v=1" + (accessToken is null ? "" : "&access_token=" + Uri.EscapeDataString(accessToken)) }.Uri;

    /// <summary>Connects and waits for <c>welcome</c>.</summary>
    public static async Task<(TabClient Client, JsonElement Welcome)> OpenAsync(Uri server, CookieContainer cookies, string channel, string? tab = null, string? instance = null)
    {
        var client = await ConnectAsync(server, cookies, channel, tab, instance);
        var welcome = await client.ExpectAsync("welcome");
        return (client, welcome);
    }

    /// <summary>Sends a JSON frame.</summary>
    public Task SendAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    /// <summary>Sends raw text as one text frame.</summary>
    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Deadline.Default);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>Sends raw bytes as one frame of the given type.</summary>
    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(Deadline.Default);
        await _socket.SendAsync(bytes, type, true, timeout.Token);
    }

    /// <summary>Takes a frame that has already arrived, without waiting.</summary>
    public bool TryTake(out JsonElement frame) => _skippedMessages.TryDequeue(out frame) || _frames.Reader.TryRead(out frame);

    /// <summary>The next frame, whatever its type.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? within = null)
    {
        if (_skippedMessages.TryDequeue(out var skipped))
        {
            return skipped;
        }

        using var timeout = new CancellationTokenSource(within ?? Deadline.Default);
        try
        {
            return await _frames.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No frame arrived in time.");
        }
        catch (ChannelClosedException)
        {
            var (code, reason) = await _closed.Task;
            throw new InvalidOperationException($"The socket closed ({code} {reason}) before the expected frame.");
        }
    }

    /// <summary>Skips frames until one of the given types arrives (skipped messages are kept as in <see cref="ExpectAsync"/>).</summary>
    public async Task<JsonElement> ExpectAnyAsync(string[] types, TimeSpan? within = null)
    {
        var kept = new List<JsonElement>();
        try
        {
            while (true)
            {
                var frame = await NextAsync(within);
                var frameType = frame.GetProperty("type").GetString();
                if (types.Contains(frameType))
                {
                    return frame;
                }

                if (frameType == "message")
                {
                    kept.Add(frame);
                }
            }
        }
        finally
        {
            foreach (var message in kept)
            {
                _skippedMessages.Enqueue(message);
            }
        }
    }

    /// <summary>
    /// Skips frames until one of <paramref name="type"/> arrives. Skipped <c>message</c> frames are kept and come first
    /// from the next read (a room message may overtake the sender's ack); other skipped frames are dropped.
    /// </summary>
    public async Task<JsonElement> ExpectAsync(string type, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? Deadline.Default);
        var kept = new List<JsonElement>();
        try
        {
            while (true)
            {
                var frame = await NextAsync(within);
                var frameType = frame.GetProperty("type").GetString();
                if (frameType == type)
                {
                    return frame;
                }

                if (frameType == "message")
                {
                    kept.Add(frame);
                }

                timeout.Token.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            foreach (var message in kept)
            {
                _skippedMessages.Enqueue(message);
            }
        }
    }

    /// <summary>Waits for the server's close.</summary>
    public async Task<(int Code, string Reason)> ExpectCloseAsync(TimeSpan? within = null)
    {
        try
        {
            return await _closed.Task.WaitAsync(within ?? Deadline.Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The server did not close the socket in time (state {_socket.State}).");
        }
    }

    /// <summary>Closes from the client side (as a page going away does) and waits until the reader saw the server's answer.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        using var timeout = new CancellationTokenSource(Deadline.Default);
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(status, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server's close crossed this one (the reader answered it first) or the connection dropped: either
                // way the reader ends on its own.
            }
        }

        try
        {
            await _reader.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // The server never answered: DisposeAsync aborts the socket, which ends the reader.
        }
    }

    /// <summary>Drops the connection without a close handshake (as a lost network does).</summary>
    public void Abort() => _socket.Abort();

    /// <summary>
    /// Closes, then aborts. The socket is aborted only after the reader ended (or the server did not answer in time):
    /// the reader alone answers a close the server started, so an abort never lands in the middle of that answer.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        ResumeReading();
        await CloseAsync();
        _socket.Abort();
        await _reader;
        _socket.Dispose();
    }

    /// <summary>Answers a close the server started; when this side closed first, the handshake is already complete.</summary>
    private async Task AnswerCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
            // A test's CloseAsync sent its close at the same moment (then this one is refused as a second close), or the
            // test aborted the socket (ObjectDisposedException is an InvalidOperationException): nothing is left to answer.
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1024 * 1024];
        try
        {
            while (true)
            {
                if (_paused is { } paused)
                {
                    await paused.Task;
                }

                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(((int)(result.CloseStatus ?? 0), result.CloseStatusDescription ?? ""));
                    await AnswerCloseAsync();
                    return;
                }

                using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
                _frames.Writer.TryWrite(document.RootElement.Clone());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidOperationException or OperationCanceledException)
        {
            // An aborted or disposed socket (ObjectDisposedException is an InvalidOperationException): the connection is gone.
            _closed.TrySetResult((1006, ex.GetType().Name));
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
