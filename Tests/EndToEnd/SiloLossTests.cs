using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using OrleansTabs.Rooms;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// A split cluster of its own (two silos, one front-end): one silo stops while tabs are connected. The front-end
/// fails over to the other silo's gateway, grains reactivate there from Redis, and chat goes on without loss.
/// </summary>
public sealed class SiloLossTests
{
    [Fact]
    public async Task ChatGoesOnAndNothingAckedIsLostWhenASiloGoesAway()
    {
        var serviceId = TestRedis.NewServiceId("siloloss");
        var settings = TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?> { ["OrleansTabs:Sockets:ResumeWindow"] = "00:00:00.200" });
        using var first = await TestHosts.StartSiloAsync(settings);
        using var second = await TestHosts.StartSiloAsync(settings);
        var web = await TestHosts.StartWebAsync("Client", settings);
        await using (web)
        {
            using var session = await TestSession.SignInAsync(web.Address);
            var room = ChatStreams.NewRoom();
            var (a, _) = await session.OpenAsync("chat");
            var (b, _) = await session.OpenAsync("chat");
            await using (a)
            await using (b)
            {
                await a.JoinAsync(room);
                var epoch = (await b.JoinAsync(room)).GetProperty("epoch").GetString()!;
                for (var i = 1; i <= 5; i++)
                {
                    await a.SendChatAsync(room, $"before-{i}", $"before {i}");
                }

                Assert.Equal([1L, 2, 3, 4, 5], (await b.MessagesAsync("room:" + room, 5)).Select(m => m.Offset()));

                // Stop the silo that hosts the room, so the room must come back from Redis on the other one.
                var grains = web.Service<IGrainFactory>();
                var roomHost = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<IRoomGrain>(room));
                var victim = first.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Equals(roomHost) ? first : second;
                await victim.StopAsync();

                // Calls fail over to the surviving silo; a send is retried by its client with the same id until acked.
                var offsets = new List<long>();
                for (var i = 1; i <= 5; i++)
                {
                    offsets.Add(await SendUntilAckedAsync(a, room, $"after-{i}", $"after {i}"));
                }

                Assert.Equal([6L, 7, 8, 9, 10], offsets);
                Assert.Equal([6L, 7, 8, 9, 10], (await b.MessagesAsync("room:" + room, 5)).Select(m => m.Offset()));

                await b.SendAsync(new { type = "history", room });
                var history = await b.ExpectAsync("history");
                Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), history.GetProperty("messages").EnumerateArray().Select(m => m.Offset()));
                Assert.Equal(epoch, history.GetProperty("messages")[0].GetProperty("epoch").GetString());
            }
        }

        await first.StopAsync();
        await second.StopAsync();
    }

    private static async Task<long> SendUntilAckedAsync(TabClient tab, string room, string id, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            await tab.SendAsync(new { type = "send", id, room, text });
            while (true)
            {
                var frame = await tab.ExpectAnyAsync(["ack", "error"]);
                if (frame.GetProperty("type").GetString() == "ack" && frame.GetProperty("id").GetString() == id)
                {
                    return frame.Offset();
                }

                if (frame.GetProperty("type").GetString() == "error")
                {
                    // `internal`: the cluster was failing over; the client library resends the same id.
                    Assert.Equal("internal", frame.GetProperty("code").GetString());
                    timeout.Token.ThrowIfCancellationRequested();
                    break;
                }
            }
        }
    }
}
