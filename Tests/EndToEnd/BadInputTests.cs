using System.Net.WebSockets;
using System.Text;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Bad input gets its documented answer and harms nothing else.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class BadInputTests(AllInOneFixture fixture)
{
    [Theory]
    [InlineData("{not json", "bad_json", null)]
    [InlineData("[1,2,3]", "bad_json", null)]
    [InlineData("{\"id\":\"m1\"}", "missing_field", "m1")]
    [InlineData("{\"type\":7}", "invalid_field", null)]
    [InlineData("{\"type\":\"teleport\",\"id\":\"x9\"}", "unknown_type", "x9")]
    [InlineData("{\"type\":\"join\"}", "missing_field", null)]
    [InlineData("{\"type\":\"join\",\"room\":\"bad room!\"}", "invalid_field", null)]
    [InlineData("{\"type\":\"send\",\"room\":\"r\",\"text\":\"hi\"}", "missing_field", null)]
    [InlineData("{\"type\":\"send\",\"id\":\"s1\",\"room\":\"nowhere\",\"text\":\"hi\"}", "not_member", "s1")]
    [InlineData("{\"type\":\"history\",\"room\":\"nowhere\"}", "not_member", null)]
    [InlineData("{\"type\":\"send\",\"id\":\"\",\"room\":\"r\",\"text\":\"hi\"}", "invalid_field", "")]
    [InlineData("", "bad_json", null)]
    [InlineData("{\"type\":\"ack\",\"stream\":\"tab\"}", "missing_field", null)]
    public async Task ABadFrameGetsAnErrorAndTheSocketStaysOpen(string frame, string code, string? reference)
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.SendTextAsync(frame);
            var error = await tab.ExpectAsync("error");
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
            if (reference is not null)
            {
                Assert.Equal(reference, error.GetProperty("ref").GetString());
            }

            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
        }
    }

    [Fact]
    public async Task TextOverFourThousandCharactersIsTooLarge()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            var room = "big-" + TabClient.NewId()[..8];
            await tab.SendAsync(new { type = "join", room });
            await tab.ExpectAsync("joined");
            await tab.SendAsync(new { type = "send", id = "long", room, text = new string('a', 4001) });
            var error = await tab.ExpectAsync("error");
            Assert.Equal("too_large", error.GetProperty("code").GetString());
            Assert.Equal("long", error.GetProperty("ref").GetString());
        }
    }

    [Fact]
    public async Task AFrameOverMaxFrameBytesClosesWith1009()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.SendTextAsync("{\"type\":\"ping\",\"pad\":\"" + new string('x', 70 * 1024) + "\"}");
            Assert.Equal(1009, (await tab.ExpectCloseAsync()).Code);
        }
    }

    [Fact]
    public async Task ABinaryFrameClosesWith1008()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.SendBytesAsync(Encoding.UTF8.GetBytes("{\"type\":\"ping\"}"), WebSocketMessageType.Binary);
            Assert.Equal(1008, (await tab.ExpectCloseAsync()).Code);
        }
    }

    [Fact]
    public async Task AFrameOverTheFrameRateIsRefusedWithItsOwnRef()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            // The burst (100 frames) first, then one frame more than the socket may take at once.
            for (var i = 0; i < 110; i++)
            {
                await tab.SendAsync(new { type = "ping", id = $"p{i}" });
            }

            var refused = await tab.ExpectAsync("error");
            Assert.Equal("rate_limited", refused.GetProperty("code").GetString());
            Assert.StartsWith("p", refused.GetProperty("ref").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnErrorStormClosesWith1008AndOtherTabsAreUnharmed()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (abuser, _) = await session.OpenAsync("chat");
        var (neighbour, _) = await session.OpenAsync("chat");
        await using (abuser)
        await using (neighbour)
        {
            for (var i = 0; i < 40 && !abuser.Closed.IsCompleted; i++)
            {
                try
                {
                    await abuser.SendTextAsync("garbage");
                }
                catch (WebSocketException)
                {
                    // The server's close crossed this send (the reader has answered it): the close code tells the rest.
                    break;
                }
            }

            Assert.Equal(1008, (await abuser.ExpectCloseAsync()).Code);
            await neighbour.SendAsync(new { type = "ping" });
            await neighbour.ExpectAsync("pong");
        }
    }

    [Fact]
    public async Task APeerThatWritesOnAfterTheServerClosedIsReadUntilItsCloseNotReset()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = session.Cookies;
        using var deadline = new CancellationTokenSource(Deadline.Default);
        await socket.ConnectAsync(TabClient.SocketUri(fixture.Server, "chat", TabClient.NewId(), TabClient.NewId()), deadline.Token);

        // Nothing is read until every write is done: the server closes after the first frame with the rest in flight,
        // more than the connection's buffers hold. It reads them away until this side's close rather than reset the
        // connection under them, which would fail these writes (and can cost a peer the close frame).
        await socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, deadline.Token);
        var filler = Encoding.UTF8.GetBytes(new string('x', 8 * 1024));
        for (var i = 0; i < 4096; i++)
        {
            await socket.SendAsync(filler, WebSocketMessageType.Text, true, deadline.Token);
        }

        var buffer = new byte[64 * 1024];
        while ((await socket.ReceiveAsync(buffer, deadline.Token)).MessageType != WebSocketMessageType.Close)
        {
        }

        Assert.Equal(1008, (int?)socket.CloseStatus);
    }

    [Fact]
    public async Task ResumeAfterTheFirstFrameIsNotAllowed()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, welcome) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
            var epoch = welcome.GetProperty("streams").GetProperty("tab").GetProperty("epoch").GetString();
            await tab.SendAsync(new { type = "resume", streams = new Dictionary<string, object> { ["tab"] = new { epoch, offset = 0 } } });
            var error = await tab.ExpectAsync("error");
            Assert.Equal("not_allowed", error.GetProperty("code").GetString());
        }
    }
}
