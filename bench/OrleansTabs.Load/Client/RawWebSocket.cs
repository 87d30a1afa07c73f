using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace OrleansTabs.Load.Client;

/// <summary>
/// A minimal RFC 6455 client over a plain socket, cheaper than <c>ClientWebSocket</c> for a load generator: one
/// receive into a pooled buffer parses every frame it holds (a busy tab gets many frames per system call), and an idle
/// socket holds no buffer (zero-byte reads).
/// </summary>
internal sealed class RawWebSocket : IDisposable
{
    private const int ReceiveSize = 16 * 1024;
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private byte[]? _pending;
    private int _pendingLength;
    private byte[]? _fragments;
    private int _fragmentLength;

    private RawWebSocket(Socket socket) => _socket = socket;

    /// <summary>The close code the server sent, 1006 for a connection that ended without one.</summary>
    public int CloseCode { get; private set; } = 1006;

    /// <summary>Connects and upgrades; throws with the HTTP status line if the server refuses the upgrade.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri uri, string? cookie, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var ws = new RawWebSocket(socket);
        try
        {
            await socket.ConnectAsync(uri.Host, uri.Port, cancellation);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = new StringBuilder()
                .Append("GET ").Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n")
                .Append("Host: ").Append(uri.Authority).Append("\r\n")
                .Append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                .Append("Sec-WebSocket-Key: ").Append(key).Append("\r\n");
            if (!string.IsNullOrEmpty(cookie))
            {
                request.Append("Cookie: ").Append(cookie).Append("\r\n");
            }

            await socket.SendAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), cancellation);
            await ws.ReadUpgradeAsync(cancellation);
            return ws;
        }
        catch
        {
            ws.Dispose();
            throw;
        }
    }

    /// <summary>Receives until the connection ends, handing every complete text message to <paramref name="onText"/>.</summary>
    public async Task ReceiveAsync(Action<ReadOnlySpan<byte>> onText, Action? onCloseFrame)
    {
        try
        {
            // Frames that came with the upgrade response first.
            if (_pending is not null && !await ParseAsync(onText, onCloseFrame))
            {
                return;
            }

            while (true)
            {
                if (_pending is null)
                {
                    await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
                    _pending = ArrayPool<byte>.Shared.Rent(ReceiveSize);
                    _pendingLength = 0;
                }
                else if (_pendingLength == _pending.Length)
                {
                    Grow(ref _pending, _pendingLength, _pending.Length * 2);
                }

                var read = await _socket.ReceiveAsync(_pending.AsMemory(_pendingLength), SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                _pendingLength += read;
                if (!await ParseAsync(onText, onCloseFrame))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            ReturnBuffers();
            _socket.Dispose();
        }
    }

    /// <summary>Sends one text message (masked, as a client must). Sends on one socket are serialized.</summary>
    public async ValueTask SendTextAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellation)
    {
        var frame = ArrayPool<byte>.Shared.Rent(payload.Length + 14);
        var length = WebSocketFrames.Write(frame, 0x1, payload.Span);
        await _sendGate.WaitAsync(cancellation);
        try
        {
            var sent = 0;
            while (sent < length)
            {
                sent += await _socket.SendAsync(frame.AsMemory(sent, length - sent), SocketFlags.None, cancellation);
            }
        }
        finally
        {
            _sendGate.Release();
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>Starts the close handshake (best effort).</summary>
    public async Task CloseAsync(int code, CancellationToken cancellation)
    {
        var body = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)code);
        await SendControlAsync(0x8, body, cancellation);
    }

    /// <summary>Ends the connection at once, without a close handshake.</summary>
    public void Dispose()
    {
        _socket.Dispose();
    }

    private async Task ReadUpgradeAsync(CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveSize);
        var length = 0;
        while (true)
        {
            var read = await _socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellation);
            if (read == 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw new IOException("The server closed the connection during the upgrade.");
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf(HeaderEnd);
            if (end < 0)
            {
                if (length == buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new IOException("The upgrade response headers are too large.");
                }

                continue;
            }

            var head = Encoding.ASCII.GetString(buffer, 0, end);
            var statusLine = head.Split("\r\n")[0];
            if (!statusLine.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw new UpgradeRefusedException(statusLine);
            }

            // Frames the server sent right after the upgrade response (the welcome) stay for the receive loop.
            var rest = length - end - HeaderEnd.Length;
            if (rest > 0)
            {
                buffer.AsSpan(end + HeaderEnd.Length, rest).CopyTo(buffer);
                _pending = buffer;
                _pendingLength = rest;
            }
            else
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return;
        }
    }

    /// <summary>Handles every complete frame in the pending buffer; false when the connection is closing.</summary>
    private async ValueTask<bool> ParseAsync(Action<ReadOnlySpan<byte>> onText, Action? onCloseFrame)
    {
        var offset = 0;
        while (WebSocketFrames.TryReadHeader(_pending.AsSpan(offset, _pendingLength - offset), out var fin, out var opcode, out var headerLength, out var payloadLength))
        {
            if (_pendingLength - offset - headerLength < payloadLength)
            {
                break;
            }

            var start = offset + headerLength;
            offset = start + (int)payloadLength;
            switch (opcode)
            {
                case 0x1 when fin && _fragments is null:
                    onText(_pending.AsSpan(start, (int)payloadLength));
                    break;
                case 0x1 or 0x0:
                    AppendFragment(_pending.AsSpan(start, (int)payloadLength));
                    if (fin)
                    {
                        onText(_fragments.AsSpan(0, _fragmentLength));
                        ArrayPool<byte>.Shared.Return(_fragments!);
                        _fragments = null;
                        _fragmentLength = 0;
                    }

                    break;
                case 0x8:
                    CloseCode = payloadLength >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(_pending.AsSpan(start, 2)) : 1005;
                    onCloseFrame?.Invoke();
                    await ReplyCloseAsync();
                    return false;
                case 0x9:
                    await SendControlAsync(0xA, _pending.AsMemory(start, (int)payloadLength).ToArray(), CancellationToken.None);
                    break;
            }
        }

        if (offset == _pendingLength)
        {
            // Nothing partial is left: the buffer goes back to the pool until the next read.
            ArrayPool<byte>.Shared.Return(_pending!);
            _pending = null;
        }
        else if (offset > 0)
        {
            _pending.AsSpan(offset, _pendingLength - offset).CopyTo(_pending);
            _pendingLength -= offset;
        }

        return true;
    }

    private void AppendFragment(ReadOnlySpan<byte> part)
    {
        _fragments ??= ArrayPool<byte>.Shared.Rent(Math.Max(ReceiveSize, part.Length));
        if (_fragmentLength + part.Length > _fragments.Length)
        {
            Grow(ref _fragments, _fragmentLength, Math.Max(_fragments.Length * 2, _fragmentLength + part.Length));
        }

        part.CopyTo(_fragments.AsSpan(_fragmentLength));
        _fragmentLength += part.Length;
    }

    private async Task ReplyCloseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await CloseAsync(CloseCode is >= 1000 and < 5000 and not 1005 and not 1006 ? CloseCode : 1000, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task SendControlAsync(int opcode, byte[] body, CancellationToken cancellation)
    {
        var frame = new byte[body.Length + 14];
        var length = WebSocketFrames.Write(frame, opcode, body);
        await _sendGate.WaitAsync(cancellation);
        try
        {
            await _socket.SendAsync(frame.AsMemory(0, length), SocketFlags.None, cancellation);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private static void Grow(ref byte[] buffer, int used, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }

    private void ReturnBuffers()
    {
        if (_pending is not null)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = null;
        }

        if (_fragments is not null)
        {
            ArrayPool<byte>.Shared.Return(_fragments);
            _fragments = null;
        }
    }
}

/// <summary>The server answered the upgrade with something other than 101.</summary>
internal sealed class UpgradeRefusedException(string statusLine) : IOException("Upgrade refused: " + statusLine);
