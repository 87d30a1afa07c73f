using System.Collections;
using System.Collections.Concurrent;
using OrleansTabs.Load.Client;

namespace OrleansTabs.Load.Workloads;

/// <summary>
/// W3's bookkeeping: what each tab received (by room offset and by message sequence number), what each room's sender
/// got acked, and the resets, so that lost and duplicated messages can be counted at the end.
/// </summary>
internal sealed class ReconnectSink(int tabs) : TabSink
{
    private readonly BitArray?[] _offsets = new BitArray?[tabs];
    private readonly BitArray?[] _seqs = new BitArray?[tabs];
    private readonly Lock[] _gates = [.. Enumerable.Range(0, tabs).Select(_ => new Lock())];
    private long _duplicates;
    private long _reposted;
    private long _resets;

    /// <summary>Acked sends per room: sequence number to offset.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<long, long>> Acked { get; } = new(StringComparer.Ordinal);

    /// <summary>When each send was first acked (Stopwatch ticks), to tell a missed live delivery from a missed replay.</summary>
    public ConcurrentDictionary<long, long> AckedAt { get; } = new();

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>The same sent message received at two offsets (posted twice).</summary>
    public long Reposted => Interlocked.Read(ref _reposted);

    public long Resets => Interlocked.Read(ref _resets);

    public override void OnMessage(Tab tab, long offset, ReadOnlySpan<byte> text)
    {
        var parsed = MessageText.TryParse(text, out _, out var seq, out _);
        lock (_gates[tab.Index])
        {
            if (offset >= 0 && !Mark(ref _offsets[tab.Index], offset))
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
        Acked.GetOrAdd(tab.Room, _ => new ConcurrentDictionary<long, long>())[seq] = offset;
        AckedAt.TryAdd(seq, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    public override void OnReset(Tab tab) => Interlocked.Increment(ref _resets);

    /// <summary>Whether the tab received the message with that sequence number.</summary>
    public bool Received(Tab tab, long seq)
    {
        lock (_gates[tab.Index])
        {
            var seqs = _seqs[tab.Index];
            return seqs is not null && seq < seqs.Length && seqs[(int)seq];
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
