using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansTabs.Load.Client;

namespace OrleansTabs.Load.Workloads;

/// <summary>
/// Chat senders as the bundled client sends: each sends at a rate, keeps its unacked sends, and resends them in order with
/// their ids (so the server acks a resend again instead of posting it twice) on a new connection.
/// </summary>
internal sealed class Senders(IReadOnlyList<Tab> tabs, ReconnectSink sink)
{
    private readonly ConcurrentDictionary<long, (Tab Tab, byte[] Frame)> _pending = new();
    private long _seq;

    /// <summary>Sends not acked (yet).</summary>
    public int Unacked => _pending.Count(p => !Acked(p.Value.Tab, p.Key));

    /// <summary>The sequence number of the newest send.</summary>
    public long LastSeq => Interlocked.Read(ref _seq);

    /// <summary>Sends up to <paramref name="seq"/> not acked (yet).</summary>
    public int UnackedUpTo(long seq) => _pending.Count(p => p.Key <= seq && !Acked(p.Value.Tab, p.Key));

    /// <summary>Every send made (each counted once, however often it was resent).</summary>
    public int Sent => _pending.Count;

    /// <summary>Sends from every sender at <paramref name="rate"/> per second each until <paramref name="stop"/>.</summary>
    public Task RunAsync(double rate, CancellationToken stop) => Task.WhenAll(tabs.Select(tab => SendLoopAsync(tab, rate, stop)));

    /// <summary>Resends every unacked send on its tab's connection every 2 s, until all are acked or the deadline.</summary>
    public async Task ResendUntilAckedAsync(TimeSpan deadline, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        while (Unacked > 0 && watch.Elapsed < deadline)
        {
            await Task.Delay(2000, cancellation);
            foreach (var (seq, (tab, frame)) in _pending.OrderBy(p => p.Key))
            {
                if (!Acked(tab, seq) && tab.Ready)
                {
                    await TrySendAsync(tab, frame);
                }
            }
        }
    }

    private async Task SendLoopAsync(Tab tab, double rate, CancellationToken stop)
    {
        var generation = tab.Generation;
        var interval = TimeSpan.FromSeconds(1 / rate);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (!tab.Ready)
                {
                    await Task.Delay(50, stop);
                    continue;
                }

                if (tab.Generation != generation)
                {
                    // A new connection: resend every unacked message of this sender, in order, with its id.
                    generation = tab.Generation;
                    foreach (var (seq, (_, frame)) in _pending.Where(p => p.Value.Tab == tab && !Acked(tab, p.Key)).OrderBy(p => p.Key).ToList())
                    {
                        await TrySendAsync(tab, frame);
                    }
                }

                // An application resends what the server refused as retryable (`internal`: "it may be retried"), same id.
                while (sink.Refused.TryDequeue(out var refused))
                {
                    if (_pending.TryGetValue(refused, out var entry) && !Acked(entry.Tab, refused))
                    {
                        await TrySendAsync(entry.Tab, entry.Frame);
                    }
                }

                var next = Interlocked.Increment(ref _seq);
                var text = MessageText.Format(1, next, Stopwatch.GetTimestamp());
                var message = tab.Wire.Send(tab.Room, next, text);
                _pending[next] = (tab, message);
                await TrySendAsync(tab, message);
                await Task.Delay(interval, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private bool Acked(Tab tab, long seq) => sink.Acked.TryGetValue(tab.Room, out var room) && room.ContainsKey(seq);

    private static async Task TrySendAsync(Tab tab, byte[] frame)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await tab.SendAsync(frame, timeout.Token);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The connection is gone: the message stays pending and is resent on the next one.
        }
    }
}
