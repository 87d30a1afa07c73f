using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// A front-end's idempotent call to a tab grain is asked again when an attempt gets no answer (a request lost in the
/// cluster, as when a gateway connection closes under it): a connect within the handshake timeout (a socket whose
/// registration never gets an answer is closed with 1011 once it has passed), a command within the command timeout
/// (one that never gets an answer is an <c>error</c> <c>internal</c>, and the socket stays open).
/// </summary>
public sealed class GrainRetryTests
{
    [Fact]
    public async Task AConnectWhoseFirstRequestIsLostIsAskedAgainAndWelcomed()
    {
        var lost = new LostCalls("lostonce", times: 1);
        await using var web = await StartAsync(lost);
        using var session = await TestSession.SignInAsync(web.Address);

        var (tab, welcome) = await session.OpenAsync("chat", tab: lost.Prefix + TabClient.NewId()[..16]);
        await using (tab)
        {
            Assert.Equal(1, lost.Swallowed);
            Assert.Equal(2, lost.Attempts);
            Assert.StartsWith(lost.Prefix, welcome.GetProperty("tab").GetString(), StringComparison.Ordinal);

            // The socket is its tab's connection: its frames pass the fence.
            var room = ChatStreams.NewRoom();
            await tab.JoinAsync(room);
            var ack = await tab.SendChatAsync(room, "m1", "after a lost connect");
            Assert.Equal(JsonValueKind.Number, ack.GetProperty("offset").ValueKind);
        }
    }

    [Fact]
    public async Task AConnectThatNeverGetsAnAnswerIsClosedWith1011AfterTheHandshakeTimeout()
    {
        var lost = new LostCalls("lostalways", times: int.MaxValue);
        await using var web = await StartAsync(lost);
        using var session = await TestSession.SignInAsync(web.Address);

        var tab = await session.ConnectAsync("chat", tab: lost.Prefix + TabClient.NewId()[..16]);
        await using (tab)
        {
            var (code, _) = await tab.Closed.WaitAsync(Deadline.Default);
            Assert.Equal(1011, code);
            // Asked again once: the second attempt had the rest of the handshake.
            Assert.Equal(2, lost.Attempts);
        }

        // Other tabs of the session are not affected.
        var (other, _) = await session.OpenAsync("chat");
        await other.DisposeAsync();
    }

    [Fact]
    public async Task AJoinWhoseFirstRequestIsLostIsAskedAgainAndJoined()
    {
        var lost = new LostCalls("lostjoin", times: 1, method: nameof(Tabs.ITabGrain.JoinAsync));
        await using var web = await StartAsync(lost);
        using var session = await TestSession.SignInAsync(web.Address);

        var (tab, _) = await session.OpenAsync("chat", tab: lost.Prefix + TabClient.NewId()[..16]);
        await using (tab)
        {
            var room = ChatStreams.NewRoom();
            var joined = await tab.JoinAsync(room);
            Assert.Equal(room, joined.GetProperty("room").GetString());
            Assert.Equal(1, lost.Swallowed);
            Assert.Equal(2, lost.Attempts);
        }
    }

    [Fact]
    public async Task ACommandThatNeverGetsAnAnswerIsAnInternalErrorAndTheSocketStaysOpen()
    {
        var lost = new LostCalls("lostwho", times: int.MaxValue, method: nameof(Tabs.ITabGrain.WhoAsync));
        await using var web = await StartAsync(lost);
        using var session = await TestSession.SignInAsync(web.Address);

        var (tab, _) = await session.OpenAsync("chat", tab: lost.Prefix + TabClient.NewId()[..16]);
        await using (tab)
        {
            var room = ChatStreams.NewRoom();
            await tab.JoinAsync(room);
            await tab.SendAsync(new { type = "who", room });
            var error = await tab.ExpectAsync("error");
            Assert.Equal("internal", error.GetProperty("code").GetString());
            Assert.Equal(2, lost.Attempts);

            // The server's failure, not the client's: the socket goes on.
            var ack = await tab.SendChatAsync(room, "m1", "still open");
            Assert.Equal(JsonValueKind.Number, ack.GetProperty("offset").ValueKind);
        }
    }

    [Fact]
    public async Task ARoomCallOfATabGrainWhoseFirstRequestIsLostIsAskedAgainBeforeTheFrontEndGivesUp()
    {
        // The front-end asks its tab grain again only after its own attempt timeout, and gives up soon after (both set
        // below): only the tab grain's own second attempt at the room, on its much shorter timeout, can answer in time.
        // Without it the tab grain would wait the whole response timeout for the lost request, and hold the
        // front-end's second attempt behind it.
        var room = "lostroom-" + TabClient.NewId()[..12];
        var lost = new LostRoomCalls(room, nameof(Rooms.IRoomGrain.HistoryAsync));
        var serviceId = TestRedis.NewServiceId("retry");
        var settings = TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Sockets:CallAttemptTimeout"] = "00:00:05",
            ["OrleansTabs:Sockets:CommandTimeout"] = "00:00:06",
            ["OrleansTabs:Tabs:RoomCallAttemptTimeout"] = "00:00:00.300",
        });
        await using var web = await TestHosts.StartWebAsync("AllInOne", settings, configure: services => services.AddSingleton<IOutgoingGrainCallFilter>(lost));
        using var session = await TestSession.SignInAsync(web.Address);

        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.JoinAsync(room);
            await tab.SendChatAsync(room, "m1", "before the lost request");
            await tab.SendAsync(new { type = "history", room });
            var history = await tab.ExpectAsync("history");
            Assert.Single(history.GetProperty("messages").EnumerateArray());
            Assert.Equal(2, lost.Attempts);
        }
    }

    private static Task<RunningWeb> StartAsync(LostCalls lost)
    {
        var serviceId = TestRedis.NewServiceId("retry");
        var settings = TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Sockets:HandshakeTimeout"] = "00:00:02",
            ["OrleansTabs:Sockets:CallAttemptTimeout"] = "00:00:00.400",
            ["OrleansTabs:Sockets:CommandTimeout"] = "00:00:02",
        });
        return TestHosts.StartWebAsync("AllInOne", settings, configure: services => services.AddSingleton<IOutgoingGrainCallFilter>(lost));
    }

    /// <summary>Swallows the first <c>times</c> calls of one tab grain method for tabs whose id starts with the prefix: never sent, never answered.</summary>
    private sealed class LostCalls(string prefix, int times, string method = nameof(Tabs.ITabGrain.ConnectAsync)) : IOutgoingGrainCallFilter
    {
        private int _attempts;

        public string Prefix { get; } = prefix;

        public int Attempts => Volatile.Read(ref _attempts);

        public int Swallowed => Math.Min(Attempts, times);

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.MethodName == method && context.TargetId.Key.ToString().Contains("/chat/" + Prefix, StringComparison.Ordinal)
                && Interlocked.Increment(ref _attempts) <= times)
            {
                // A lost request: the caller's wait is the only thing that ends it.
                await new TaskCompletionSource().Task;
            }

            await context.Invoke();
        }
    }

    /// <summary>Swallows the first call of one room grain method to one room, whoever makes it: never sent, never answered.</summary>
    private sealed class LostRoomCalls(string room, string method) : IOutgoingGrainCallFilter
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.MethodName == method && context.TargetId.Type.ToString() == "room" && context.TargetId.Key.ToString() == room
                && Interlocked.Increment(ref _attempts) == 1)
            {
                await new TaskCompletionSource().Task;
            }

            await context.Invoke();
        }
    }
}
