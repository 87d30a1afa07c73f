using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace OrleansTabs.Peers.KestrelBroadcast;

/// <summary>
/// One socket: a receive loop that handles client frames and one writer loop fed by a bounded queue. A consumer that
/// lets its queue overflow is closed with 4013 instead of buffering without end.
/// </summary>
public sealed class ChatConnection(WebSocket socket, string user, string tab, RoomRegistry rooms)
{
    private const int QueueCapacity = 512;
    private const int MaxFrameBytes = 64 * 1024;

    private readonly Channel<byte[]> _outbox = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly HashSet<Room> _rooms = [];

    /// <summary>Queues a frame; a full queue closes the socket with 4013.</summary>
    public void Send(byte[] frame)
    {
        if (!_outbox.Writer.TryWrite(frame))
        {
            _outbox.Writer.TryComplete(new InvalidOperationException("too_slow"));
        }
    }

    /// <summary>Runs the socket until either loop ends; the other gets a close timeout, then the socket is aborted.</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var writer = WriteLoopAsync(stop.Token);
        var reader = ReadLoopAsync(stop.Token);
        await Task.WhenAny(reader, writer);
        _outbox.Writer.TryComplete();
        var both = Task.WhenAll(reader, writer);
        if (await Task.WhenAny(both, Task.Delay(CloseTimeout, CancellationToken.None)) != both)
        {
            await stop.CancelAsync();
            socket.Abort();
        }

        await both;
        foreach (var room in _rooms)
        {
            room.Leave(this);
        }
    }

    private async Task WriteLoopAsync(CancellationToken token)
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync(token))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, token);
            }

            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, token);
        }
        catch (InvalidOperationException) when (_outbox.Reader.Completion.IsFaulted)
        {
            await CloseQuietlyAsync((WebSocketCloseStatus)4013, """{"code":"too_slow"}""");
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
            // The peer went away or the reader ended first: a normal ending.
        }
    }

    private async Task ReadLoopAsync(CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                // A zero-byte read first, so an idle socket holds no buffer.
                var probe = await socket.ReceiveAsync(Memory<byte>.Empty, token);
                if (probe.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (!await ReadFrameAsync(token))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }

    private async Task<bool> ReadFrameAsync(CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    if (length >= MaxFrameBytes)
                    {
                        await CloseQuietlyAsync(WebSocketCloseStatus.MessageTooBig, null);
                        return false;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType != WebSocketMessageType.Text)
            {
                return false;
            }

            Handle(buffer.AsSpan(0, length));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Handle(ReadOnlySpan<byte> utf8)
    {
        ClientFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize<ClientFrame>(utf8, ClientFrame.Json);
        }
        catch (JsonException)
        {
            frame = null;
        }

        switch (frame?.Type)
        {
            case null:
                Send(Frames.Error("bad_json", null));
                break;
            case "ping":
                Send(Frames.Pong);
                break;
            case "join" when frame.Room is { Length: >= 1 and <= 64 } name:
                var room = rooms.Get(name);
                _rooms.Add(room);
                Send(Frames.Joined(room, room.Join(this)));
                break;
            case "send" when frame.Room is { } target && frame.Id is { Length: >= 1 and <= 64 } id && frame.Text is { Length: >= 1 and <= 4000 } text:
                var member = rooms.Get(target);
                if (!_rooms.Contains(member))
                {
                    Send(Frames.Error("not_member", id));
                    break;
                }

                Send(Frames.Ack(id, member.Stream, member.Publish(id, user, tab, text)));
                break;
            case "join" or "send":
                Send(Frames.Error("missing_field", frame.Id));
                break;
            default:
                Send(Frames.Error("unknown_type", frame.Id));
                break;
        }
    }

    private async Task CloseQuietlyAsync(WebSocketCloseStatus status, string? reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }
}
