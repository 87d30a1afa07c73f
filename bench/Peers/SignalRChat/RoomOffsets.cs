using System.Runtime.CompilerServices;

using System.Collections.Concurrent;

namespace OrleansTabs.Peers.SignalRChat;

/// <summary>The in-memory offset counter of every room (no history, no durability).</summary>
public sealed class RoomOffsets
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _heads = new(StringComparer.Ordinal);

    /// <summary>The epoch of this process's offsets.</summary>
    public string Epoch { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The room's current head.</summary>
    public long Head(string room) => Interlocked.Read(ref Box(room).Value);

    /// <summary>Takes the room's next offset.</summary>
    public long Next(string room) => Interlocked.Increment(ref Box(room).Value);

    private StrongBox<long> Box(string room) => _heads.GetOrAdd(room, _ => new StrongBox<long>());
}
