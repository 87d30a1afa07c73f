using System.Text.Json;
using System.Threading.Channels;
using OrleansTabs.Load.Client;
using OrleansTabs.Load.Workloads;

namespace OrleansTabs.Load.Faults;

/// <summary>
/// Reads each room's durable history through a fresh tab (its own session, joined to the room, paging back with
/// <c>history</c>) and checks that every acked send is there at the offset its ack named: an ack is a promise of
/// durability, so a send acked during a fault and then lost is a false ack.
/// </summary>
internal sealed class HistoryCheck : TabSink
{
    private const int PageSize = 200;

    private readonly Channel<byte[]> _pages = Channel.CreateUnbounded<byte[]>();

    /// <summary>What the check found: acks missing from history (or there with another message), the first of them, and the room heads.</summary>
    public sealed record Outcome(int NotDurable, string? FirstProblem, IReadOnlyDictionary<string, long> Heads);

    public override void OnHistory(Tab tab, ReadOnlySpan<byte> frame) => _pages.Writer.TryWrite(frame.ToArray());

    /// <summary>Checks every room against the acks the sink saw.</summary>
    public static async Task<Outcome> RunAsync(IReadOnlyList<Uri> frontEnds, ReconnectSink sink, IReadOnlyList<string> rooms, CancellationToken cancellation)
    {
        var check = new HistoryCheck();
        var session = new TabSession("history-" + Guid.NewGuid().ToString("N")[..8]);
        var notDurable = 0;
        string? first = null;
        var heads = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < rooms.Count; i++)
        {
            var tab = new Tab(OrleansTabsWire.Instance, session, rooms[i], i, check);
            var server = frontEnds[i % frontEnds.Count];
            await session.SignInAsync(server, cancellation);
            await tab.ConnectAsync(server, cancellation);
            await tab.JoinAsync(cancellation);
            try
            {
                var history = await check.ReadAsync(tab, cancellation);
                heads[rooms[i]] = history.Count == 0 ? 0 : history.Keys.Max();
                foreach (var (seq, offset) in sink.Acked.GetValueOrDefault(rooms[i]) ?? new())
                {
                    var found = history.TryGetValue(offset, out var stored);
                    if (!found || stored != seq)
                    {
                        notDurable++;
                        first ??= $"{rooms[i]}: send m{seq} acked at offset {offset}, history has {(found ? "m" + stored : "nothing")} there";
                    }
                }
            }
            finally
            {
                tab.Abort();
                await tab.Receiving;
            }
        }

        return new Outcome(notDurable, first, heads);
    }

    /// <summary>The whole retained history of the tab's room: offset to the send's sequence number (-1 if not a rig message).</summary>
    private async Task<Dictionary<long, long>> ReadAsync(Tab tab, CancellationToken cancellation)
    {
        var messages = new Dictionary<long, long>();
        long before = 0;
        while (true)
        {
            await tab.SendAsync(OrleansTabsWire.History(tab.Room, before, PageSize), cancellation);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var page = await _pages.Reader.ReadAsync(timeout.Token);
            using var json = JsonDocument.Parse(page);
            var oldest = long.MaxValue;
            foreach (var message in json.RootElement.GetProperty("messages").EnumerateArray())
            {
                var offset = message.GetProperty("offset").GetInt64();
                var text = System.Text.Encoding.UTF8.GetBytes(message.GetProperty("text").GetString() ?? "");
                messages[offset] = MessageText.TryParse(text, out _, out var seq, out _) ? seq : -1;
                oldest = Math.Min(oldest, offset);
            }

            if (oldest == long.MaxValue || oldest <= 1)
            {
                return messages;
            }

            before = oldest;
        }
    }
}
