using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// WebSocket-level keep-alive (docs/protocol.md section 5), seen on the wire by a client that reads raw frames: the
/// server pings a socket that has been silent for <c>KeepAliveInterval</c> and aborts one that leaves a ping
/// unanswered for <c>KeepAliveTimeout</c> (1 s and 2 s here).
/// </summary>
[Collection(KeepAliveCollection.Name)]
public sealed class KeepAliveTests(KeepAliveFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ASilentSocketIsPingedAndStaysOpenPastTheTimeoutWhileItAnswersWithPongs()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        await using var socket = await RawSocket.ConnectAsync(fixture.Server, session);
        Assert.Contains("\"welcome\"", await socket.ReadTextAsync(), StringComparison.Ordinal);

        var pings = 0;
        var until = Stopwatch.StartNew();
        while (until.Elapsed < Timeout * 3)
        {
            var (opcode, payload) = await socket.ReadFrameAsync(Deadline.Default);
            Assert.NotEqual(RawSocket.Close, opcode);
            if (opcode == RawSocket.Ping)
            {
                pings++;
                await socket.SendFrameAsync(RawSocket.Pong, payload);
            }
        }

        Assert.True(pings >= 2, $"{pings} pings in {until.Elapsed.TotalSeconds:F1} s of silence");
    }

    [Fact]
    public async Task ASocketThatLeavesAPingUnansweredIsAbortedAfterTheTimeout()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        await using var socket = await RawSocket.ConnectAsync(fixture.Server, session);
        Assert.Contains("\"welcome\"", await socket.ReadTextAsync(), StringComparison.Ordinal);

        var (opcode, _) = await socket.ReadFrameAsync(Deadline.Default);
        Assert.Equal(RawSocket.Ping, opcode);
        var pinged = Stopwatch.StartNew();

        // Nothing is sent back: the connection ends without a close frame (aborted), no sooner than the timeout.
        var ended = await socket.ReadUntilEndAsync(Deadline.Default);
        Assert.True(ended, "the connection was still open");
        Assert.True(pinged.Elapsed >= Timeout - TimeSpan.FromMilliseconds(100), $"aborted {pinged.Elapsed.TotalSeconds:F2} s after the ping");
    }

    /// <summary>A WebSocket client over a plain TCP socket: sees control frames and answers them only when told to.</summary>
    private sealed class RawSocket : IAsyncDisposable
    {
        public const int Text = 0x1;
        public const int Close = 0x8;
        public const int Ping = 0x9;
        public const int Pong = 0xA;

        private readonly TcpClient _tcp;
        private readonly NetworkStream _stream;

        private RawSocket(TcpClient tcp)
        {
            _tcp = tcp;
            _stream = tcp.GetStream();
        }

        public static async Task<RawSocket> ConnectAsync(Uri server, TestSession session)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(server.Host, server.Port);
            var socket = new RawSocket(tcp);
            var request = $"GET /ws/chat?tab={TabClient.NewId()}&instance={TabClient.NewId()}&v=1 HTTP/1.1\r\nHost: {server.Authority}\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + $"Sec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\nCookie: {session.Cookies.GetCookieHeader(server)}\r\n\r\n";
            await socket._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            var head = new StringBuilder();
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                head.Append((char)await socket.ReadByteAsync(Deadline.Default));
            }

            Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
            return socket;
        }

        public async Task<string> ReadTextAsync()
        {
            var (opcode, payload) = await ReadFrameAsync(Deadline.Default);
            Assert.Equal(Text, opcode);
            return Encoding.UTF8.GetString(payload);
        }

        /// <summary>The next frame (opcode and payload); server frames are never masked.</summary>
        public async Task<(int Opcode, byte[] Payload)> ReadFrameAsync(TimeSpan within)
        {
            using var deadline = new CancellationTokenSource(within);
            var header = await ReadExactlyAsync(2, deadline.Token);
            long length = header[1] & 0x7F;
            if (length == 126)
            {
                var extended = await ReadExactlyAsync(2, deadline.Token);
                length = (extended[0] << 8) | extended[1];
            }
            else if (length == 127)
            {
                var extended = await ReadExactlyAsync(8, deadline.Token);
                length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(extended);
            }

            return (header[0] & 0x0F, await ReadExactlyAsync((int)length, deadline.Token));
        }

        /// <summary>Reads (and drops) frames until the connection ends; false if it is still open after <paramref name="within"/>.</summary>
        public async Task<bool> ReadUntilEndAsync(TimeSpan within)
        {
            using var deadline = new CancellationTokenSource(within);
            var buffer = new byte[4096];
            try
            {
                while (await _stream.ReadAsync(buffer, deadline.Token) > 0)
                {
                }

                return true;
            }
            catch (IOException)
            {
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        /// <summary>Sends one masked frame, as a client must.</summary>
        public async Task SendFrameAsync(int opcode, byte[] payload)
        {
            Assert.True(payload.Length < 126);
            var mask = RandomNumberGenerator.GetBytes(4);
            var frame = new byte[2 + 4 + payload.Length];
            frame[0] = (byte)(0x80 | opcode);
            frame[1] = (byte)(0x80 | payload.Length);
            mask.CopyTo(frame, 2);
            for (var i = 0; i < payload.Length; i++)
            {
                frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
            }

            await _stream.WriteAsync(frame);
        }

        public ValueTask DisposeAsync()
        {
            _tcp.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task<int> ReadByteAsync(TimeSpan within)
        {
            using var deadline = new CancellationTokenSource(within);
            return (await ReadExactlyAsync(1, deadline.Token))[0];
        }

        private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellation)
        {
            var buffer = new byte[count];
            await _stream.ReadExactlyAsync(buffer, cancellation);
            return buffer;
        }
    }
}
