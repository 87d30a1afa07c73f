using System.Collections.Concurrent;

namespace OrleansTabs.Peers.KestrelBroadcast;

/// <summary>Every room of the process, created on first join.</summary>
public sealed class RoomRegistry
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly string _epoch = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The room of that name.</summary>
    public Room Get(string name) => _rooms.GetOrAdd(name, n => new Room(n, _epoch));
}
