namespace OrleansTabs.Streams;

/// <summary>
/// The stream vocabulary of the wire contract, in one place: a room's log is <c>room:&lt;name&gt;</c>, a tab's own
/// queue is <c>tab</c>, a dashboard topic is <c>topic:&lt;name&gt;</c> (latest value only, no replay).
/// </summary>
public static class StreamNames
{
    /// <summary>The tab's own stream: frames addressed to this tab alone.</summary>
    public const string Tab = "tab";

    /// <summary>The prefix of a room's stream.</summary>
    public const string RoomPrefix = "room:";

    /// <summary>The prefix of a dashboard topic's stream.</summary>
    public const string TopicPrefix = "topic:";

    /// <summary>The dashboard topic every dashboard tab has: live cluster figures (its stream is <c>topic:cluster</c>).</summary>
    public const string ClusterTopic = "cluster";

    /// <summary>The stream of a room.</summary>
    public static string Room(string room) => RoomPrefix + room;

    /// <summary>The room a stream belongs to, if it is a room's stream.</summary>
    public static bool TryGetRoom(string stream, out string room)
    {
        var isRoom = stream.StartsWith(RoomPrefix, StringComparison.Ordinal);
        room = isRoom ? stream[RoomPrefix.Length..] : "";
        return isRoom;
    }

    /// <summary>Whether a stream is a dashboard topic.</summary>
    public static bool IsTopic(string stream) => stream.StartsWith(TopicPrefix, StringComparison.Ordinal);
}
