namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// The durable log behind a room: append in batches (one round trip per group commit), trim to retention, load on
/// activation, and the room's member locations. One implementation per backend (<see cref="RedisRoomLog"/>).
/// </summary>
public interface IRoomLog
{
    /// <summary>Loads a room: its epoch (null if the room has no log yet, or it was lost) and retained messages, oldest first.</summary>
    Task<(string? Epoch, long Head, List<StoredMessage> Messages)> LoadAsync(string room);

    /// <summary>Durably appends a batch, sets the head, and trims the log to its newest <paramref name="keep"/> entries.</summary>
    Task AppendAsync(string room, string epoch, IReadOnlyList<StoredMessage> batch, long head, int keep);

    /// <summary>The persisted member locations: tab key to "frontEnd connectionId" (empty when disconnected).</summary>
    Task<Dictionary<string, string>> LoadMembersAsync(string room);

    /// <summary>Sets (or with null value removes) a member's location.</summary>
    Task SetMemberAsync(string room, string tabKey, string? location);
}
