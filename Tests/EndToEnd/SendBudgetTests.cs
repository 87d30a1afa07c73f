using System.Diagnostics;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// docs/protocol.md section 6.4 at its defaults (20 sends/s, burst 40): one budget for all tabs of a session; a send over it
/// gets <c>rate_limited</c> with <c>retryAfterMs</c>, is neither posted nor acked, and the socket stays open.
/// </summary>
[Collection(SendBudgetCollection.Name)]
public sealed class SendBudgetTests(SendBudgetFixture fixture)
{
    private const int Burst = 40;
    private const double PerSecond = 20;

    /// <summary>What a tab may hold of the budget beyond what it used: one lease (a tenth of a second's sends).</summary>
    private const int LeaseSlack = 2;

    [Fact]
    public async Task TheTabsOfOneSessionShareOneBudgetAndASendOverItIsRefusedNotPosted()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (one, _) = await session.OpenAsync("chat");
        var (two, _) = await session.OpenAsync("chat");
        await using (one)
        await using (two)
        {
            await one.JoinAsync(room);
            await two.JoinAsync(room);

            var started = Stopwatch.StartNew();
            var answers = await Task.WhenAll(BurstAsync(one, room, "a", 30), BurstAsync(two, room, "b", 30));
            var elapsed = started.Elapsed.TotalSeconds;
            var acked = answers.SelectMany(a => a.Acked).ToList();
            var refused = answers.SelectMany(a => a.Refused).ToList();

            Assert.Equal(60, acked.Count + refused.Count);
            Assert.InRange(acked.Count, 1, Burst + (PerSecond * elapsed) + (2 * LeaseSlack));
            Assert.NotEmpty(refused);
            Assert.All(refused, e =>
            {
                Assert.Equal("rate_limited", e.GetProperty("code").GetString());
                Assert.InRange(e.GetProperty("retryAfterMs").GetInt32(), 1, 60_000);
            });

            // Refused sends were not posted: the room holds exactly the acked ones.
            var history = await HistoryAsync(one, room);
            Assert.Equal(acked.Order(), history.Order());

            // Both sockets stay open.
            foreach (var tab in new[] { one, two })
            {
                await tab.SendAsync(new { type = "ping" });
                await tab.ExpectAsync("pong");
            }
        }
    }

    [Fact]
    public async Task ASpentBudgetOfOneSessionLeavesOtherSessionsAlone()
    {
        using var busy = await TestSession.SignInAsync(fixture.Server);
        using var calm = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (flood, _) = await busy.OpenAsync("chat");
        var (other, _) = await calm.OpenAsync("chat");
        await using (flood)
        await using (other)
        {
            await flood.JoinAsync(room);
            await other.JoinAsync(room);
            var answer = await BurstAsync(flood, room, "f", 60);
            Assert.NotEmpty(answer.Refused);

            await other.SendAsync(new { type = "send", id = "calm-1", room, text = "still fine" });
            Assert.Equal("ack", (await other.ExpectAnyAsync(["ack", "error"])).GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task ARefusedSendCanBeSentAgainWithTheSameIdOnceTheBudgetRefills()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.JoinAsync(room);
            var answer = await BurstAsync(tab, room, "r", 50);
            var last = answer.Refused[^1];

            // The contract's promise to a client that waits retryAfterMs (nothing else of the session sends meanwhile):
            // the same id is then taken. The wait is the protocol's, not a stand-in for an event.
            await Task.Delay(last.GetProperty("retryAfterMs").GetInt32());
            var id = last.GetProperty("ref").GetString()!;
            await tab.SendAsync(new { type = "send", id, room, text = "again" });
            var reply = await tab.ExpectAnyAsync(["ack", "error"]);
            Assert.Equal("ack", reply.GetProperty("type").GetString());
            Assert.Equal(id, reply.GetProperty("id").GetString());
        }
    }

    /// <summary>Sends <paramref name="count"/> messages without waiting in between; returns the acked ids and the errors.</summary>
    private static async Task<(List<string> Acked, List<JsonElement> Refused)> BurstAsync(TabClient tab, string room, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await tab.SendAsync(new { type = "send", id = $"{prefix}-{i}", room, text = $"{prefix} {i}" });
        }

        var acked = new List<string>();
        var refused = new List<JsonElement>();
        while (acked.Count + refused.Count < count)
        {
            var frame = await tab.ExpectAnyAsync(["ack", "error"]);
            if (frame.GetProperty("type").GetString() == "ack")
            {
                acked.Add(frame.GetProperty("id").GetString()!);
            }
            else
            {
                refused.Add(frame);
            }
        }

        return (acked, refused);
    }

    /// <summary>The client ids of the room's retained messages.</summary>
    private static async Task<List<string>> HistoryAsync(TabClient tab, string room)
    {
        await tab.SendAsync(new { type = "history", room, limit = 200 });
        var history = await tab.ExpectAsync("history");
        // Each text is "<prefix> <i>", the client id "<prefix>-<i>".
        return [.. history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!.Replace(' ', '-'))];
    }
}
