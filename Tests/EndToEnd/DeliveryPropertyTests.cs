using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// Random interleavings of send / dropped ack / dropped socket / reconnect / resume for several tabs of one room:
/// every tab must see every acknowledged message exactly once, in offset order, and a resent id is never posted twice.
/// </summary>
[Collection(AllInOneCollection.Name)]
public sealed class DeliveryPropertyTests(AllInOneFixture fixture)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task EveryTabSeesEveryAckedMessageExactlyOnceInOrder(int seed)
    {
        var random = new Random(seed);
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var tabs = new List<TabModel>();
        for (var i = 0; i < 3; i++)
        {
            tabs.Add(await TabModel.StartAsync(session, room));
        }

        var acked = new Dictionary<string, long>();
        var unacked = new List<(TabModel Tab, string Id, string Text)>();
        for (var step = 0; step < 60; step++)
        {
            var tab = tabs[random.Next(tabs.Count)];
            switch (random.Next(10))
            {
                case < 5 when tab.Connected:
                    var id = $"s{seed}-{step}";
                    acked[id] = await tab.SendAsync(id, $"text {step}");
                    break;
                case 5 when tab.Connected:
                    // The send reaches the server but the socket dies before the ack is read.
                    var lost = $"lost{seed}-{step}";
                    await tab.Client!.SendAsync(new { type = "send", id = lost, room, text = $"lost {step}" });
                    unacked.Add((tab, lost, $"lost {step}"));
                    await tab.DropAsync();
                    break;
                case 6 or 7 when tab.Connected:
                    await tab.DropAsync();
                    break;
                default:
                    if (!tab.Connected)
                    {
                        await tab.ReconnectAsync(session);
                    }

                    break;
            }
        }

        foreach (var tab in tabs.Where(t => !t.Connected))
        {
            await tab.ReconnectAsync(session);
        }

        // Resending every unacknowledged id after reconnecting: acked now, never posted twice.
        foreach (var (tab, id, text) in unacked)
        {
            var offset = await tab.SendAsync(id, text);
            Assert.False(acked.ContainsValue(offset) && !acked.ContainsKey(id), $"resend of {id} took another message's offset");
            acked[id] = offset;
        }

        var head = acked.Values.DefaultIfEmpty(0).Max();
        foreach (var tab in tabs)
        {
            await tab.ReceiveUntilAsync(head);
            Assert.Equal(Enumerable.Range(1, (int)head).Select(i => (long)i), tab.Received.Select(m => m.Offset));
            foreach (var (id, offset) in acked)
            {
                Assert.Equal(id, tab.Received[(int)offset - 1].ClientId);
            }

            await tab.Client!.DisposeAsync();
        }

        Assert.Equal(acked.Count, acked.Values.Distinct().Count());
    }

    /// <summary>One tab as its client library would keep it: last offset seen, resume on reconnect, duplicates are failures.</summary>
    private sealed class TabModel
    {
        private readonly string _room;
        private readonly string _tab = TabClient.NewId();
        private readonly string _instance = TabClient.NewId();
        private string _epoch = "";

        private TabModel(string room) => _room = room;

        public TabClient? Client { get; private set; }

        public bool Connected => Client is not null;

        public List<(long Offset, string? ClientId)> Received { get; } = [];

        private string Stream => "room:" + _room;

        public static async Task<TabModel> StartAsync(TestSession session, string room)
        {
            var model = new TabModel(room);
            var (client, _) = await session.OpenAsync("chat", model._tab, model._instance);
            model.Client = client;
            var joined = await client.JoinAsync(room);
            model._epoch = joined.GetProperty("epoch").GetString()!;
            model.Drain();
            return model;
        }

        /// <summary>Sends and waits for the ack, keeping every message frame that arrives meanwhile.</summary>
        public async Task<long> SendAsync(string id, string text)
        {
            await Client!.SendAsync(new { type = "send", id, room = _room, text });
            while (true)
            {
                var frame = await Client.NextAsync();
                if (frame.GetProperty("type").GetString() == "ack" && frame.GetProperty("id").GetString() == id)
                {
                    return frame.Offset();
                }

                Accept(frame);
            }
        }

        public async Task DropAsync()
        {
            Client!.Abort();
            await Client.DisposeAsync();
            Drain();
            Client = null;
        }

        public async Task ReconnectAsync(TestSession session)
        {
            // A network blip: the same page instance reconnects, which takes over whatever the server still holds.
            var (client, _) = await session.OpenAsync("chat", _tab, _instance);
            Client = client;
            var (frames, resumed) = await client.ResumeAsync(Stream, _epoch, Received.Count == 0 ? 0 : Received[^1].Offset);
            Assert.True(resumed.GetProperty("streams").GetProperty(Stream).GetProperty("recovered").GetBoolean());
            foreach (var frame in frames)
            {
                Accept(frame);
            }

            Drain();
        }

        public async Task ReceiveUntilAsync(long head)
        {
            while (Received.Count == 0 || Received[^1].Offset < head)
            {
                Accept(await Client!.ExpectAsync("message"));
            }
        }

        private void Drain()
        {
            while (Client is not null && Client.TryTake(out var frame))
            {
                Accept(frame);
            }
        }

        private void Accept(JsonElement frame)
        {
            if (frame.GetProperty("type").GetString() != "message" || frame.GetProperty("stream").GetString() != Stream)
            {
                return;
            }

            var offset = frame.Offset();
            var expected = Received.Count == 0 ? 1 : Received[^1].Offset + 1;
            Assert.True(offset == expected, $"tab {_tab} got offset {offset}, expected {expected} (a gap or a duplicate)");
            Received.Add((offset, frame.TryGetProperty("clientId", out var id) ? id.GetString() : null));
        }
    }
}
