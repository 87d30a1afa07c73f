namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// The durable log behind a room: append in batches (one round trip per group commit), trim to retention, load on
/// activation, and the room's member locations. One implementation per backend (<see cref="RedisRoomLog"/>).
/// </summary>
public interface IRoomLog
{
    /// <summary>Loads a room: its epoch (null if the room has no log yet, or it was lost) and retained messages, oldest first.</summary>
    Task<(string? Epoch, long Head, List<StoredMessage> Messages)> LoadAsync(string room);

    /// <summary>
    /// Durably appends a batch after <paramref name="expectedHead"/>, moves the head, and trims the log to its newest
    /// <paramref name="keep"/> entries, atomically. Throws <see cref="RoomLogConflictException"/> (and writes nothing)
    /// when the stored head or epoch differs from what the caller expects.
    /// </summary>
    Task AppendAsync(string room, string epoch, long expectedHead, IReadOnlyList<StoredMessage> batch, int keep);

    /// <summary>The persisted member locations: tab key to "frontEnd connectionId" (empty when disconnected).</summary>
    Task<Dictionary<string, string>> LoadMembersAsync(string room);

    /// <summary>Sets (or, with a null value, removes) member locations, in one round trip.</summary>
    Task SetMembersAsync(string room, IReadOnlyCollection<KeyValuePair<string, string?>> locations);
}
