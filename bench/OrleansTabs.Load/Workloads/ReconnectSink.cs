using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansTabs.Load.Client;
using OrleansTabs.Load.Reporting;

namespace OrleansTabs.Load.Workloads;

/// <summary>
/// W3's bookkeeping: what each tab received (by room offset and by message sequence number), what each room's sender
/// got acked, and the resets, so that lost and duplicated messages can be counted at the end. Without
/// <paramref name="offsetsShared"/> (SignalR: each server counts its own offsets) a message is told apart by its
/// sequence number alone, so a duplicate counts as reposted.
/// </summary>
internal sealed class ReconnectSink(int tabs, bool offsetsShared = true) : TabSink
{
    private readonly BitArray?[] _offsets = new BitArray?[tabs];
    private readonly BitArray?[] _seqs = new BitArray?[tabs];
    private readonly Lock[] _gates = [.. Enumerable.Range(0, tabs).Select(_ => new Lock())];
    private long _duplicates;
    private long _reposted;
    private long _resets;
    private long _delivered;
    private long _ackConflicts;

    /// <summary>Acked sends per room: sequence number to offset.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<long, long>> Acked { get; } = new(StringComparer.Ordinal);

    /// <summary>When each send was first acked (Stopwatch ticks), to tell a missed live delivery from a missed replay.</summary>
    public ConcurrentDictionary<long, long> AckedAt { get; } = new();

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>The same sent message received at two offsets (posted twice).</summary>
    public long Reposted => Interlocked.Read(ref _reposted);

    public long Resets => Interlocked.Read(ref _resets);

    /// <summary>Room messages received, every one counted (duplicates too).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Acks of one send at two different offsets (a resend posted again, or an ack that was not true).</summary>
    public long AckConflicts => Interlocked.Read(ref _ackConflicts);

    public override void OnMessage(Tab tab, long offset, ReadOnlySpan<byte> text)
    {
        var parsed = MessageText.TryParse(text, out _, out var seq, out _);
        Interlocked.Increment(ref _delivered);
        lock (_gates[tab.Index])
        {
            if (offsetsShared && offset >= 0 && !Mark(ref _offsets[tab.Index], offset))
            {
                Interlocked.Increment(ref _duplicates);
            }
            else if (parsed && !Mark(ref _seqs[tab.Index], seq))
            {
                Interlocked.Increment(ref _reposted);
            }
        }
    }

    public override void OnAck(Tab tab, long seq, long offset)
    {
        var acked = Acked.GetOrAdd(tab.Room, _ => new ConcurrentDictionary<long, long>());
        if (acked.GetOrAdd(seq, offset) != offset)
        {
            Interlocked.Increment(ref _ackConflicts);
        }

        AckedAt.TryAdd(seq, Stopwatch.GetTimestamp());
    }

    public override void OnReset(Tab tab) => Interlocked.Increment(ref _resets);

    /// <summary>Sends refused with a retryable <c>error</c> (its <c>ref</c> is the send's id), for the sender to send again.</summary>
    public ConcurrentQueue<long> Refused { get; } = new();

    public override void OnError(Tab tab, ReadOnlySpan<byte> frame)
    {
        base.OnError(tab, frame);
        if (Json.Has(frame, "\"code\":\"internal\""u8) && Json.Number(frame, "\"ref\":\"m"u8) is > 0 and var seq)
        {
            Refused.Enqueue(seq);
        }
    }

    /// <summary>Whether the tab received the message with that sequence number.</summary>
    public bool Received(Tab tab, long seq)
    {
        lock (_gates[tab.Index])
        {
            var seqs = _seqs[tab.Index];
            return seqs is not null && seq < seqs.Length && seqs[(int)seq];
        }
    }

    /// <summary>Waits until every member has every acked message of its room (or the deadline); returns what is missing. <paramref name="killed"/> (Stopwatch ticks) tells messages acked before a fault from those after.</summary>
    public async Task<(long Lost, long Missing, string Detail)> DrainAsync(IReadOnlyList<Tab> tabs, long killed, TimeSpan deadline, string label, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var lost = new HashSet<long>();
            long missing = 0, beforeKill = 0, afterResume = 0;
            foreach (var tab in tabs)
            {
                if (!Acked.TryGetValue(tab.Room, out var acked))
                {
                    continue;
                }

                foreach (var seq in acked.Keys)
                {
                    if (!Received(tab, seq))
                    {
                        missing++;
                        lost.Add(seq);
                        var ackedAt = AckedAt.GetValueOrDefault(seq);
                        beforeKill += ackedAt < killed ? 1 : 0;
                        afterResume += ackedAt > tab.ResumedAt && tab.ResumedAt > killed ? 1 : 0;
                    }
                }
            }

            if (missing == 0 || watch.Elapsed > deadline)
            {
                var offsets = lost.Select(seq => tabs.Select(t => Acked.GetValueOrDefault(t.Room)?.GetValueOrDefault(seq, -1) ?? -1).Max()).Order().ToList();
                var detail = missing == 0 ? "" : $"Missing deliveries: {beforeKill} of messages acked before the kill, {afterResume} acked after the member's own `resumed` (missed live), {missing - beforeKill - afterResume} in between (missed by replay); lost offsets: {string.Join(", ", offsets.Take(12))}{(offsets.Count > 12 ? ", ..." : "")}.";
                return (lost.Count, missing, detail);
            }

            Progress.Show($"{label} drain: {missing:N0} deliveries of {lost.Count:N0} acked messages still missing");
            await Task.Delay(500, cancellation);
        }
    }

    /// <summary>Sets the bit; false if it was set already.</summary>
    private static bool Mark(ref BitArray? bits, long index)
    {
        bits ??= new BitArray(1024);
        if (index >= bits.Length)
        {
            bits.Length = (int)Math.Max(index + 1, bits.Length * 2L);
        }

        if (bits[(int)index])
        {
            return false;
        }

        bits[(int)index] = true;
        return true;
    }
}
