using OrleansTabs.Streams;

namespace OrleansTabs;

/// <summary>
/// The dashboard topic rule of docs/protocol.md section 9: the room name rule (<see cref="RoomNames"/>), and
/// <c>cluster</c> is the server's own (its live figures), never an application's.
/// </summary>
public static class TopicNames
{
    /// <summary>
    /// The most topics an application may have in the cluster (besides <c>cluster</c>): every front-end remembers each
    /// one's latest value, and a dashboard gets a snapshot of each right after <c>welcome</c>.
    /// </summary>
    public const int MaxTopics = 1000;

    /// <summary>Whether an application may publish to <paramref name="topic"/>.</summary>
    public static bool IsValid(string? topic) => RoomNames.IsValid(topic) && topic != StreamNames.ClusterTopic;

    /// <summary>Returns <paramref name="topic"/> if an application may publish to it; otherwise throws <see cref="ArgumentException"/> naming <paramref name="name"/>.</summary>
    public static string Require(string topic, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(topic))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(topic, name);
        return IsValid(topic)
            ? topic
            : throw new ArgumentException(
                topic == StreamNames.ClusterTopic
                    ? $"The topic '{StreamNames.ClusterTopic}' is reserved for the server's cluster figures."
                    : $"A topic name is 1-{RoomNames.MaxLength} characters of [A-Za-z0-9_.-].",
                name);
    }
}
