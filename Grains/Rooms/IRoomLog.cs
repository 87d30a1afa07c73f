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
    /// Durably appends a batch after <paramref name="expectedHead"/>, moves the head, trims the log to its newest
    /// <paramref name="keep"/> entries, and records each post's (tab, client id) with its offset for the dedup window,
    /// atomically. Throws <see cref="RoomLogConflictException"/> (and writes nothing) when the stored head or epoch
    /// differs from what the caller expects. Returns the posts of the batch that the log already recorded within the
    /// window (resends), and then writes nothing either; empty when the batch was written.
    /// </summary>
    Task<IReadOnlyList<KnownPost>> AppendAsync(string room, string epoch, long expectedHead, IReadOnlyList<StoredMessage> batch, int keep);

    /// <summary>The persisted member locations: tab key to "frontEnd connectionId" (empty when disconnected).</summary>
    Task<Dictionary<string, string>> LoadMembersAsync(string room);

    /// <summary>Sets (or, with a null value, removes) member locations, in one round trip.</summary>
    Task SetMembersAsync(string room, IReadOnlyCollection<KeyValuePair<string, string?>> locations);
}
