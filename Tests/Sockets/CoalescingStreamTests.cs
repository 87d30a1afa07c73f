using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.AspNetCore.Protocol;
using OrleansTabs.AspNetCore.Transport;

namespace OrleansTabs.Tests.Sockets;

/// <summary>
/// The frames the socket stream builds itself are WebSocket frames a real client reads: every length encoding,
/// coalesced or not, and interleaved with the frames the server's WebSocket writes through the same stream.
/// </summary>
public sealed class CoalescingStreamTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(200_000)]
    public async Task ATextFrameOfAnyLengthReadsBackAsOneTextMessage(int length)
    {
        var payload = Payload(length, seed: length);
        var wire = new MemoryStream();
        var stream = new CoalescingStream(wire, new FakeTimeProvider());

        await stream.WriteTextAsync(payload);

        Assert.Equal([payload], await ReadMessagesAsync(wire.ToArray(), count: 1));
    }

    [Fact]
    public async Task CoalescedFramesGoOutInOneWriteAndReadBackInOrderBetweenTheWebSocketsOwnFrames()
    {
        var wire = new CountingStream();
        var stream = new CoalescingStream(wire, new FakeTimeProvider());
        using var server = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        byte[][] sent = [Payload(10, 1), Payload(300, 2), Payload(20, 3), Payload(70_000, 4), Payload(7, 5)];

        stream.Coalescing = true;
        await stream.WriteTextAsync(sent[0]);
        await stream.WriteTextAsync(sent[1]);
        Assert.Equal(0, wire.Writes);
        stream.Coalescing = false;
        await stream.WriteTextAsync(sent[2]);
        Assert.Equal(1, wire.Writes);

        await server.SendAsync(sent[3], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        await stream.WriteTextAsync(sent[4]);

        Assert.Equal(sent, await ReadMessagesAsync(wire.ToArray(), count: sent.Length));
    }

    private static byte[] Payload(int length, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append((char)('a' + random.Next(26)));
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Reads whole messages from the captured bytes as a browser would (a client WebSocket over them).</summary>
    private static async Task<List<byte[]>> ReadMessagesAsync(byte[] wire, int count)
    {
        using var client = WebSocket.CreateFromStream(new MemoryStream(wire), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var messages = new List<byte[]>();
        var buffer = new byte[256 * 1024];
        for (var i = 0; i < count; i++)
        {
            var message = new MemoryStream();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                Assert.Equal(WebSocketMessageType.Text, result.MessageType);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            messages.Add(message.ToArray());
        }

        return messages;
    }

    /// <summary>A memory stream that counts the writes made to it.</summary>
    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
