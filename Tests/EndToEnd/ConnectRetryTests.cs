using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// A connect's registration with its tab grain is asked again when an attempt gets no answer (a request lost in the
/// cluster, as when a gateway connection closes under it), within the handshake timeout; a socket whose registration
/// never gets an answer is closed with 1011 once that timeout has passed.
/// </summary>
public sealed class ConnectRetryTests
{
    [Fact]
    public async Task AConnectWhoseFirstRequestIsLostIsAskedAgainAndWelcomed()
    {
        var lost = new LostConnects("lostonce", times: 1);
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
        var lost = new LostConnects("lostalways", times: int.MaxValue);
        await using var web = await StartAsync(lost);
        using var session = await TestSession.SignInAsync(web.Address);

        var tab = await session.ConnectAsync("chat", tab: lost.Prefix + TabClient.NewId()[..16]);
        await using (tab)
        {
            var (code, _) = await tab.Closed.WaitAsync(Deadline.Default);
            Assert.Equal(1011, code);
            Assert.True(lost.Attempts >= 2, $"{lost.Attempts} attempts: the front-end should have asked again before it gave up");
        }

        // Other tabs of the session are not affected.
        var (other, _) = await session.OpenAsync("chat");
        await other.DisposeAsync();
    }

    private static Task<RunningWeb> StartAsync(LostConnects lost)
    {
        var serviceId = TestRedis.NewServiceId("retry");
        var settings = TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Sockets:HandshakeTimeout"] = "00:00:02",
            ["OrleansTabs:Sockets:ConnectAttemptTimeout"] = "00:00:00.400",
        });
        return TestHosts.StartWebAsync("AllInOne", settings, configure: services => services.AddSingleton<IOutgoingGrainCallFilter>(lost));
    }

    /// <summary>Swallows the first <c>times</c> tab connects of tabs whose id starts with the prefix: never sent, never answered.</summary>
    private sealed class LostConnects(string prefix, int times) : IOutgoingGrainCallFilter
    {
        private int _attempts;

        public string Prefix { get; } = prefix;

        public int Attempts => Volatile.Read(ref _attempts);

        public int Swallowed => Math.Min(Attempts, times);

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.MethodName == nameof(Tabs.ITabGrain.ConnectAsync) && context.TargetId.Key.ToString().Contains("/chat/" + Prefix, StringComparison.Ordinal)
                && Interlocked.Increment(ref _attempts) <= times)
            {
                // A lost request: the caller's wait is the only thing that ends it.
                await new TaskCompletionSource().Task;
            }

            await context.Invoke();
        }
    }
}
